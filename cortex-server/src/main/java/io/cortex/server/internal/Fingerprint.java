package io.cortex.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cortex.core.json.CortexJson;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The SHA-256 of a JSON body in canonical form (object members sorted by name, no whitespace), so
 * two bodies that differ only in member order or spacing have the same fingerprint.
 */
public final class Fingerprint {
    private Fingerprint() {}

    /**
     * The fingerprint of {@code body}.
     *
     * @param body the parsed body
     * @return lower-case hex SHA-256
     */
    public static String of(JsonNode body) {
        try {
            byte[] canonical = CortexJson.mapper().writeValueAsBytes(canonical(body));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot fingerprint a request body", e);
        }
    }

    private static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (String n : names) {
                out.set(n, canonical(node.get(n)));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(e -> out.add(canonical(e)));
            return out;
        }
        return node;
    }
}
