package io.cortex.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API keys a {@link CortexServer} accepts as bearer tokens.
 *
 * <pre>{@code
 * ApiKeys keys = new ApiKeys();
 * GeneratedApiKey ops = keys.generate("ops on-call", Scope.ADMIN);
 * handOver(ops.token());   // shown once, never logged: give it to the operator
 * }</pre>
 *
 * <p>A token is {@code ctx_<12 characters of key id>_<43 characters of secret>}: 256 random bits.
 * Only the SHA-256 hash of a token is stored, and a presented token is compared with it in
 * constant time ({@link MessageDigest#isEqual}); the key id embedded in the token only picks which
 * hash to compare with. Thread-safe.
 */
public final class ApiKeys {
    private static final String TOKEN_PREFIX = "ctx_";
    private static final int ID_LENGTH = 12;
    private static final int SECRET_BYTES = 32;
    private static final char[] ID_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int MAX_NAME_LENGTH = 128;
    private static final byte[] DUMMY_HASH = new byte[32];

    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final Map<String, Entry> byId = new ConcurrentHashMap<>();

    private record Entry(ApiKey key, byte[] hash) {}

    /** An empty set of keys; creation times come from the system clock. */
    public ApiKeys() {
        this(Clock.systemUTC());
    }

    /**
     * An empty set of keys whose creation times come from {@code clock}.
     *
     * @param clock the clock
     * @throws NullPointerException when {@code clock} is null
     */
    public ApiKeys(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock cannot be null");
    }

    /**
     * Makes a new key holding {@code scopes} (and the scopes they include) and returns it with its
     * plaintext token, the only time the token is available.
     *
     * @param name what the key is for, 1 to 128 characters, not blank
     * @param scopes at least one scope
     * @return the key and its token
     * @throws NullPointerException when {@code name}, {@code scopes} or a scope is null
     * @throws IllegalArgumentException when {@code name} is blank or too long, or no scope is given
     */
    public GeneratedApiKey generate(String name, Scope... scopes) {
        Objects.requireNonNull(name, "name cannot be null");
        Objects.requireNonNull(scopes, "scopes cannot be null");
        if (name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("name must be 1 to " + MAX_NAME_LENGTH + " characters and not blank, got "
                    + name.length() + " characters");
        }
        if (scopes.length == 0) {
            throw new IllegalArgumentException("a key needs at least one scope (read, write or admin)");
        }
        Set<Scope> effective = EnumSet.noneOf(Scope.class);
        for (Scope s : scopes) {
            Objects.requireNonNull(s, "scope cannot be null");
            for (Scope implied : Scope.values()) {
                if (s.includes(implied)) {
                    effective.add(implied);
                }
            }
        }
        while (true) {
            String idPart = randomId();
            byte[] secret = new byte[SECRET_BYTES];
            random.nextBytes(secret);
            String token = TOKEN_PREFIX + idPart + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
            ApiKey key = new ApiKey("key_" + idPart, name, effective, clock.instant());
            if (byId.putIfAbsent(key.id(), new Entry(key, sha256(token))) == null) {
                return new GeneratedApiKey(key, token);
            }
        }
    }

    /**
     * The key a bearer token belongs to, if any. The token's hash is compared in constant time.
     *
     * @param token the presented token
     * @return the key, or empty when the token is unknown, revoked or malformed
     * @throws NullPointerException when {@code token} is null
     */
    public Optional<ApiKey> authenticate(String token) {
        Objects.requireNonNull(token, "token cannot be null");
        byte[] presented = sha256(token);
        Entry entry = null;
        if (token.length() > TOKEN_PREFIX.length() + ID_LENGTH + 1 && token.startsWith(TOKEN_PREFIX)
                && token.charAt(TOKEN_PREFIX.length() + ID_LENGTH) == '_') {
            entry = byId.get("key_" + token.substring(TOKEN_PREFIX.length(), TOKEN_PREFIX.length() + ID_LENGTH));
        }
        // compare even when no entry matched, so an unknown id costs the same as a wrong secret
        boolean equal = MessageDigest.isEqual(presented, entry == null ? DUMMY_HASH : entry.hash());
        return equal && entry != null ? Optional.of(entry.key()) : Optional.empty();
    }

    /**
     * Revokes a key: its token is refused from the next request on.
     *
     * @param id the key id
     * @return true when the key existed
     * @throws NullPointerException when {@code id} is null
     */
    public boolean revoke(String id) {
        Objects.requireNonNull(id, "id cannot be null");
        return byId.remove(id) != null;
    }

    /**
     * The key with this id.
     *
     * @param id the key id
     * @return the key, or empty
     * @throws NullPointerException when {@code id} is null
     */
    public Optional<ApiKey> find(String id) {
        Objects.requireNonNull(id, "id cannot be null");
        Entry e = byId.get(id);
        return e == null ? Optional.empty() : Optional.of(e.key());
    }

    /**
     * Every key, oldest first (never a token or hash).
     *
     * @return a snapshot
     */
    public List<ApiKey> list() {
        List<ApiKey> out = new ArrayList<>();
        byId.values().forEach(e -> out.add(e.key()));
        out.sort(Comparator.comparing(ApiKey::createdAt).thenComparing(ApiKey::id));
        return List.copyOf(out);
    }

    /**
     * How many keys there are.
     *
     * @return the count
     */
    public int size() {
        return byId.size();
    }

    /**
     * Describes the keys by id.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "ApiKeys" + byId.keySet();
    }

    private String randomId() {
        char[] c = new char[ID_LENGTH];
        for (int i = 0; i < c.length; i++) {
            c[i] = ID_ALPHABET[random.nextInt(ID_ALPHABET.length)];
        }
        return new String(c);
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
