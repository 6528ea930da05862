package io.cortex.webhooks.internal;

/**
 * The one preconditions helper: null → {@link NullPointerException}, bad value →
 * {@link IllegalArgumentException}, conflicting state → {@link IllegalStateException}.
 */
public final class Preconditions {

  private Preconditions() {}

  /**
   * Returns {@code value} if it is not null.
   *
   * @param value the value to check
   * @param name what the value is, used in the message ("x cannot be null")
   * @param <T> the value type
   * @return {@code value}
   * @throws NullPointerException if {@code value} is null
   */
  public static <T> T checkNotNull(T value, String name) {
    if (value == null) {
      throw new NullPointerException(name + " cannot be null");
    }
    return value;
  }

  /**
   * Throws an {@link IllegalArgumentException} with {@code message} unless {@code condition}.
   *
   * @param condition what must hold
   * @param message names the value and the rule
   * @throws IllegalArgumentException if {@code condition} is false
   */
  public static void checkArgument(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /**
   * Throws an {@link IllegalStateException} with {@code message} unless {@code condition}.
   *
   * @param condition what must hold
   * @param message explains the conflicting state
   * @throws IllegalStateException if {@code condition} is false
   */
  public static void checkState(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException(message);
    }
  }
}
