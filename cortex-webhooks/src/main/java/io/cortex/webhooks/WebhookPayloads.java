package io.cortex.webhooks;

import static io.cortex.webhooks.internal.Preconditions.checkNotNull;

import io.cortex.core.event.CortexEvent;
import io.cortex.webhooks.internal.Payloads;

/**
 * The JSON bodies Cortex's webhooks carry, {@code {"type","timestamp","data":{…,"eventId",…}}}, for
 * other transports of the same events (the server's event stream sends exactly these). A job's
 * environment values are replaced by {@code "<redacted>"}.
 */
public final class WebhookPayloads {

  private WebhookPayloads() {}

  /**
   * Returns the body of the webhook for an engine event.
   *
   * @param event the event
   * @return one line of JSON
   * @throws NullPointerException if {@code event} is null
   */
  public static String of(CortexEvent event) {
    return Payloads.of(checkNotNull(event, "event"));
  }

  /**
   * Returns the body of the {@code webhook.endpoint.disabled} webhook for an endpoint the dispatcher
   * disabled.
   *
   * @param event the event
   * @return one line of JSON
   * @throws NullPointerException if {@code event} is null
   */
  public static String of(WebhookEndpointDisabled event) {
    checkNotNull(event, "event");
    return Payloads.endpointDisabled(event.type(), event.id(), event.subscriptionId(), event.url(),
        event.reason(), event.consecutiveFailures(), event.failingSince(), event.timestamp());
  }
}
