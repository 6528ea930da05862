package io.cortex.store.jdbc.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cortex.core.event.CortexEvent;
import io.cortex.core.json.CortexJson;
import io.cortex.core.store.StoreException;
import java.io.IOException;
import java.io.StringWriter;

/**
 * The JSON documents the store keeps, written and read by {@link CortexJson#mapper()}: the job,
 * its history event, and the outbox event. The outbox document of a job change is the job and the
 * event around them ({@code {"id":…,"type":…,"timestamp":…,"job":{"job":<job>,"event":<event>}}}),
 * assembled from the two documents already written, so a change serializes its job once.
 */
public final class Documents {
    private static final ObjectMapper JSON = CortexJson.mapper();

    private Documents() {}

    /**
     * The value as JSON.
     *
     * @throws StoreException when Jackson cannot write it
     */
    public static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot write " + value.getClass().getSimpleName() + " as JSON: " + e.getMessage(), e);
        }
    }

    /**
     * The outbox document of a job change, from its job and event documents: what
     * {@code write(published)} would give, without writing the job a second time.
     *
     * @throws IllegalArgumentException when {@code published} is not a job change
     * @throws StoreException when Jackson cannot write it
     */
    public static String outbox(CortexEvent published, String jobDoc, String eventDoc) {
        if (published.job() == null) {
            throw new IllegalArgumentException("event " + published.id() + " is not a job change");
        }
        StringWriter out = new StringWriter(jobDoc.length() + eventDoc.length() + 128);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("id", published.id());
            g.writeStringField("type", published.type());
            g.writeFieldName("timestamp");
            JSON.writeValue(g, published.timestamp());
            g.writeObjectFieldStart("job");
            g.writeFieldName("job");
            g.writeRawValue(jobDoc);
            g.writeFieldName("event");
            g.writeRawValue(eventDoc);
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new StoreException("cannot write event " + published.id() + " as JSON: " + e.getMessage(), e);
        }
        return out.toString();
    }

    /**
     * Reads a stored document.
     *
     * @throws StoreException naming {@code what} when it is not a {@code type}
     */
    public static <T> T read(String json, Class<T> type, String what) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot read " + what + " (" + type.getSimpleName() + ") from its stored JSON: "
                    + e.getOriginalMessage(), e);
        }
    }
}
