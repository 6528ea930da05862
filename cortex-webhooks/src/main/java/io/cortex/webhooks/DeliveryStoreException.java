package io.cortex.webhooks;

/** A {@link DeliveryStore} could not do its work: it is full, or its backing storage failed. */
public class DeliveryStoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed and why
   */
  public DeliveryStoreException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what failed and why
   * @param cause the underlying failure
   */
  public DeliveryStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
