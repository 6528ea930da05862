package io.cortex.server;

import static io.cortex.server.TestServer.JOBS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cortex.core.store.JobQuery;
import io.cortex.server.TestServer.Reply;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuthTest {
    private static final TestServer T = new TestServer();

    @AfterAll
    static void close() {
        T.close();
    }

    private static Reply withAuthorization(String method, String path, String authorization) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(T.server.uri() + path))
                .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString("{\"image\":\"acme/train:1\"}"));
        if (authorization != null) {
            r.header("Authorization", authorization);
        }
        return T.send(r.build());
    }

    @ParameterizedTest
    @CsvSource({"GET," + JOBS, "POST," + JOBS, "GET,/api/system/rate-limits", "GET,/api/plugin-core/providers/alpha/wallet"})
    void aRequestWithoutAKeyIs401(String method, String path) {
        Reply r = withAuthorization(method, path, null);

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("type").asText()).isEqualTo("https://cortex.io/problems/unauthorized");
        assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(r.json().get("requestId").asText()).isEqualTo(r.header("X-Request-Id"));
    }

    @Test
    void aWrongKeyIs401AndSubmitsNothing() {
        String token = T.writer.token();
        String tampered = token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");

        Reply wrong = withAuthorization("POST", JOBS, "Bearer " + tampered);
        Reply unknownId = withAuthorization("POST", JOBS, "Bearer ctx_000000000000_" + token.substring(17));
        Reply garbage = withAuthorization("POST", JOBS, "Bearer hello");
        Reply basic = withAuthorization("POST", JOBS, "Basic " + token);

        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.header("WWW-Authenticate")).contains("invalid_token");
        assertThat(unknownId.status()).isEqualTo(401);
        assertThat(garbage.status()).isEqualTo(401);
        assertThat(basic.status()).isEqualTo(401);
        assertThat(T.cortex.jobs(JobQuery.all()).total()).isZero();
    }

    @Test
    void theSchemeIsCaseInsensitive() {
        assertThat(withAuthorization("GET", JOBS, "bearer " + T.reader.token()).status()).isEqualTo(200);
    }

    @Test
    void aRevokedKeyIs401() {
        GeneratedApiKey temp = T.keys.generate("temporary", Scope.READ);
        assertThat(T.get(JOBS, temp).status()).isEqualTo(200);

        T.keys.revoke(temp.id());

        assertThat(T.get(JOBS, temp).status()).isEqualTo(401);
    }

    @ParameterizedTest
    @CsvSource({
            "reader,POST," + JOBS + ",write",
            "reader,POST," + JOBS + "/job_x/cancel,write",
            "writer,POST,/api/plugin-core/providers/alpha/wallet/topup,admin",
            "writer,PUT,/api/plugin-core/providers/alpha/credentials,admin",
            "writer,POST,/api/plugin-core/webhooks,admin",
            "reader,GET,/api/system/logs,admin",
            "writer,POST,/api/system/services/metrics/restart,admin",
            "reader,GET,/api/system/database/status,admin"})
    void aKeyWithoutTheScopeIs403(String who, String method, String path, String scope) {
        GeneratedApiKey key = who.equals("reader") ? T.reader : T.writer;

        Reply r = T.send(method, path, key, method.equals("GET") ? null : "{\"amount\":\"1\"}");

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("type").asText()).isEqualTo("https://cortex.io/problems/forbidden");
        assertThat(r.json().get("requiredScope").asText()).isEqualTo(scope);
        assertThat(T.alpha.balance().amount()).isEqualByComparingTo("50");
    }

    @Test
    void permissionsReportTheKeyAndItsScopes() {
        Reply reader = T.get("/api/users/me/permissions", T.reader);
        Reply admin = T.get("/api/users/me/permissions", T.admin);

        assertThat(reader.json().get("key").asText()).isEqualTo(T.reader.id());
        assertThat(reader.json().get("scopes")).extracting(n -> n.asText()).containsExactly("read");
        assertThat(admin.json().get("key").asText()).isEqualTo(T.admin.id());
        assertThat(admin.json().get("scopes")).extracting(n -> n.asText()).containsExactly("read", "write", "admin");
    }

    @Test
    void healthNeedsNoKeyAndIgnoresOne() {
        assertThat(withAuthorization("GET", "/api/health", null).status()).isEqualTo(200);
        assertThat(withAuthorization("GET", "/api/health", "Bearer whatever").status()).isEqualTo(200);
    }

    @Test
    void tokensAreShownOnceAndNeverPrinted() {
        ApiKeys keys = new ApiKeys();
        GeneratedApiKey key = keys.generate("ci", Scope.WRITE);

        assertThat(key.token()).startsWith("ctx_").hasSize(4 + 12 + 1 + 43);
        assertThat(key.toString()).doesNotContain(key.token()).contains(key.id());
        assertThat(keys.toString()).doesNotContain(key.token());
        assertThat(keys.list()).singleElement().satisfies(k -> assertThat(k.toString()).doesNotContain(key.token()));
        assertThat(keys.authenticate(key.token())).contains(key.key());
        assertThat(key.key().scopes()).containsExactly(Scope.READ, Scope.WRITE);
        assertThatThrownBy(() -> keys.generate("no scope")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> keys.generate(" ", Scope.READ)).isInstanceOf(IllegalArgumentException.class);
    }
}
