package io.cortex.webhooks.internal;

import static io.cortex.webhooks.internal.Preconditions.checkNotNull;
import static io.cortex.webhooks.internal.Preconditions.checkState;

/**
 * A builder option that may be set once: setting it twice is an error saying "already set to …".
 * A value copied from an existing object ({@link #inherit}) may be overridden once.
 *
 * @param <T> the value type
 */
public final class Option<T> {

  private final String name;
  private T value;
  private boolean set;

  /**
   * Creates an unset option holding its default.
   *
   * @param name the option's name, for messages
   * @param defaultValue the value if never set, may be null
   */
  public Option(String name, T defaultValue) {
    this.name = name;
    this.value = defaultValue;
  }

  /**
   * Sets the value.
   *
   * @param newValue the value
   * @throws NullPointerException if {@code newValue} is null
   * @throws IllegalStateException if the option was already set
   */
  public void set(T newValue) {
    checkNotNull(newValue, name);
    checkState(!set, name + " already set to " + value);
    value = newValue;
    set = true;
  }

  /**
   * Takes a value from an existing object without counting as set.
   *
   * @param inherited the value
   */
  public void inherit(T inherited) {
    value = inherited;
  }

  /**
   * Returns the current value.
   *
   * @return the value, or the default
   */
  public T get() {
    return value;
  }
}
