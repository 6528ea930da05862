/**
 * The one JSON mapping of Cortex: {@link io.cortex.core.json.CortexJson} hands out the configured
 * Jackson {@code ObjectMapper} that the client, the server, the JDBC store and the webhooks all reuse,
 * and {@link io.cortex.core.json.CortexModule} holds the serializers and deserializers of the domain
 * model, so that no domain type carries a Jackson annotation.
 *
 * <p>Wire rules, in one place:
 * <ul>
 *   <li>instants are ISO-8601 strings ({@code "2025-01-31T10:15:30Z"}), durations ISO-8601 strings
 *       ({@code "PT5M"});</li>
 *   <li>money ({@code BigDecimal}) is written as a JSON string in plain notation ({@code "10.0"}) so
 *       that no float rounding touches it; a string or a number is accepted on read;</li>
 *   <li>quantities are strings in canonical form ({@code "1Gi"}); a string or a whole number of bytes
 *       is accepted on read;</li>
 *   <li>image references and identifiers are strings;</li>
 *   <li>job, provider, remote and service states are lower-case ({@code "pending"},
 *       {@code "offline"}), read case-insensitively; reason codes keep their upper-case names
 *       ({@code "NO_CAPACITY"});</li>
 *   <li>null and absent ({@code Optional.empty()}) values are omitted;</li>
 *   <li>unknown fields are rejected with an error that names the field, and an invalid value is
 *       rejected with an error that names the field and the value.</li>
 * </ul>
 */
package io.cortex.core.json;
