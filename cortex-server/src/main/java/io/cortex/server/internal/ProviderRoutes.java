package io.cortex.server.internal;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cortex.core.Cortex;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.json.CortexJson;
import io.cortex.core.provider.Credentials;
import io.cortex.core.provider.ProviderException;
import io.cortex.core.provider.ProviderId;
import io.cortex.core.provider.ProviderInfo;
import io.cortex.server.Scope;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/** {@code /api/plugin-core/providers…}: status, capabilities, wallet, credentials, endpoints. */
final class ProviderRoutes {
    private static final String PROVIDERS = "/api/plugin-core/providers";
    private static final String PROVIDER = PROVIDERS + "/{providerId}";

    private final Cortex cortex;

    ProviderRoutes(Settings settings) {
        this.cortex = settings.cortex();
    }

    void register(Router r) {
        r.route(GET, PROVIDERS, Scope.READ, c -> c.json(200, cortex.providers()));
        r.route(GET, PROVIDER, Scope.READ, c -> c.json(200, withEndpoints(cortex.provider(c.providerId()))));
        r.route(PUT, PROVIDER, Scope.ADMIN, this::updateEndpoints);
        r.route(GET, PROVIDER + "/status", Scope.READ, this::status);
        r.route(GET, PROVIDER + "/capabilities", Scope.READ, c -> c.json(200, cortex.capabilities(c.providerId())));
        r.route(GET, PROVIDER + "/wallet", Scope.READ, c -> {
            ProviderId id = c.providerId();
            c.json(200, ability(id, "wallet", () -> cortex.wallet(id)));
        });
        r.route(POST, PROVIDER + "/wallet/topup", Scope.ADMIN, this::topUp);
        r.route(POST, PROVIDER + "/refresh-auth", Scope.ADMIN, c -> {
            ProviderId id = c.providerId();
            c.json(200, ability(id, "credentials", () -> cortex.refreshAuth(id)));
        });
        r.route(PUT, PROVIDER + "/credentials", Scope.ADMIN, this::updateCredentials);
    }

    private void status(Call c) {
        ProviderId id = c.providerId();
        c.json(200, c.boolQuery("refresh", false) ? cortex.checkProvider(id) : cortex.provider(id));
    }

    private void updateEndpoints(Call c) {
        ProviderId id = c.providerId();
        cortex.provider(id); // 404 before 400
        JsonNode body = c.jsonObject(true);
        Bodies.allowOnly(body, "endpoints");
        List<String> raw = Bodies.strings(body, "endpoints", true);
        if (raw.isEmpty()) {
            throw Problem.invalid("endpoints", "range", "endpoints must hold at least one URL");
        }
        List<URI> endpoints = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String field = "endpoints[" + i + "]";
            URI u;
            try {
                u = new URI(raw.get(i).trim());
            } catch (URISyntaxException e) {
                throw Problem.invalid(field, "format", field + " '" + raw.get(i) + "' is not a URI: " + e.getReason());
            }
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!u.isAbsolute() || u.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
                throw Problem.invalid(field, "format", field + " '" + raw.get(i) + "' must be an absolute http or https URL with a host");
            }
            endpoints.add(u);
        }
        ProviderInfo info = ability(id, "endpoints", () -> cortex.updateEndpoints(id, endpoints));
        c.json(200, withEndpoints(info));
    }

    private void topUp(Call c) {
        ProviderId id = c.providerId();
        cortex.provider(id); // 404 before 400
        JsonNode body = c.jsonObject(true);
        Bodies.allowOnly(body, "amount");
        BigDecimal amount = Bodies.decimal(body, "amount", true);
        if (amount.signum() <= 0) {
            throw Problem.invalid("amount", "range", "amount must be more than 0, got " + amount.toPlainString());
        }
        c.json(200, ability(id, "wallet", () -> cortex.topUp(id, amount)));
    }

    private void updateCredentials(Call c) {
        ProviderId id = c.providerId();
        cortex.provider(id); // 404 before 400
        Credentials credentials = c.convert(c.jsonObject(true), Credentials.class);
        ProviderInfo info;
        try {
            info = ability(id, "credentials", () -> cortex.updateCredentials(id, credentials));
        } catch (ProviderException e) {
            if (e.reason() != ReasonCode.AUTH_FAILED) {
                throw e;
            }
            String m = "provider " + id + " refused the new credentials: " + e.getMessage();
            throw Problem.of(422, Problem.Type.VALIDATION, m).with("reason", e.reason().name())
                    .withErrors(List.of(new Problem.FieldError("credentials", "accepted-by-provider", m)));
        }
        c.json(200, info);
    }

    /** The provider as JSON, with {@code endpoints} when the provider manages endpoints. */
    private Object withEndpoints(ProviderInfo info) {
        List<URI> endpoints;
        try {
            endpoints = cortex.endpoints(info.id());
        } catch (UnsupportedOperationException e) {
            return info;
        }
        ObjectNode node = CortexJson.mapper().valueToTree(info);
        node.set("endpoints", CortexJson.mapper().valueToTree(endpoints.stream().map(URI::toString).toList()));
        return node;
    }

    /** Runs an engine call that needs an optional ability; a provider without it is a 501 naming it. */
    private static <T> T ability(ProviderId id, String ability, Supplier<T> call) {
        try {
            return call.get();
        } catch (UnsupportedOperationException e) {
            throw Problem.unsupported(ability, "provider " + id + " does not support the '" + ability + "' ability ("
                    + e.getMessage() + ")").with("provider", id.value());
        }
    }
}
