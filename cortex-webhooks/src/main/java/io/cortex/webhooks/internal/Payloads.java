package io.cortex.webhooks.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cortex.core.event.CortexEvent;
import io.cortex.core.job.Job;
import io.cortex.core.job.JobEvent;
import io.cortex.core.job.JobState;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.json.CortexJson;
import java.net.URI;
import java.time.Instant;
import java.util.Map;

/**
 * Webhook bodies: {@code {"type", "timestamp", "data"}} written with the one Cortex mapper
 * ({@link CortexJson#mapper()}), so a job or provider in a webhook looks exactly as in the REST
 * API.
 *
 * <p>A job's environment values are replaced by {@value #REDACTED}: they often hold credentials,
 * and a webhook leaves the host. The names stay.
 */
public final class Payloads {

  /** What an environment value becomes in a webhook. */
  public static final String REDACTED = "<redacted>";

  private Payloads() {}

  /**
   * Returns the body of a webhook for an engine event.
   *
   * @param event the event
   * @return the JSON text
   * @throws IllegalStateException if the mapper cannot write the event
   */
  public static String of(CortexEvent event) {
    ObjectMapper mapper = CortexJson.mapper();
    ObjectNode root = envelope(mapper, event.type(), event.timestamp());
    ObjectNode data = root.putObject("data");
    data.put("eventId", event.id());
    if (event.job() != null) {
      Job job = event.job().job();
      JobEvent change = event.job().event();
      ObjectNode jobNode = mapper.valueToTree(job);
      redactEnv(jobNode);
      data.set("job", jobNode);
      ObjectNode changeNode = mapper.valueToTree(change);
      changeNode.remove("placement");
      data.set("change", changeNode);
      if (job.state() == JobState.PENDING || job.state() == JobState.FAILED) {
        ReasonCode code = change.reason();
        ObjectNode reason = data.putObject("reason");
        reason.put("code", code.name());
        reason.put("message", change.message());
        reason.put("description", code.description());
        reason.put("suggestedAction", code.suggestedAction());
        data.set("placement", mapper.valueToTree(change.placement()));
      }
    } else {
      data.set("provider", mapper.valueToTree(event.provider()));
    }
    return write(mapper, root);
  }

  /**
   * Returns the body of a {@code webhook.endpoint.disabled} webhook.
   *
   * @param type the event type
   * @param eventId the event id
   * @param subscriptionId the disabled subscription
   * @param url its URL
   * @param reason why it was disabled
   * @param consecutiveFailures failures in a row
   * @param failingSince the first of them
   * @param timestamp when it was disabled
   * @return the JSON text
   */
  public static String endpointDisabled(String type, String eventId, String subscriptionId,
      URI url, String reason, int consecutiveFailures, Instant failingSince, Instant timestamp) {
    ObjectMapper mapper = CortexJson.mapper();
    ObjectNode root = envelope(mapper, type, timestamp);
    ObjectNode data = root.putObject("data");
    data.put("eventId", eventId);
    ObjectNode endpoint = data.putObject("endpoint");
    endpoint.put("subscriptionId", subscriptionId);
    endpoint.put("url", url.toString());
    data.put("reason", reason);
    data.put("consecutiveFailures", consecutiveFailures);
    data.set("failingSince", mapper.valueToTree(failingSince));
    data.set("disabledAt", mapper.valueToTree(timestamp));
    return write(mapper, root);
  }

  private static ObjectNode envelope(ObjectMapper mapper, String type, Instant timestamp) {
    ObjectNode root = mapper.createObjectNode();
    root.put("type", type);
    root.set("timestamp", mapper.valueToTree(timestamp));
    return root;
  }

  private static void redactEnv(ObjectNode job) {
    JsonNode spec = job.get("spec");
    JsonNode env = spec == null ? null : spec.get("env");
    if (env instanceof ObjectNode) {
      ObjectNode envObject = (ObjectNode) env;
      for (Map.Entry<String, JsonNode> e : envObject.properties()) {
        e.setValue(envObject.textNode(REDACTED));
      }
    }
  }

  private static String write(ObjectMapper mapper, ObjectNode root) {
    try {
      return mapper.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a webhook body: " + e.getMessage(), e);
    }
  }
}
