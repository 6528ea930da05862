package io.cortex.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.cortex.client.internal.ApiRequest;
import io.cortex.client.internal.Preconditions;
import io.cortex.client.internal.Readers;
import io.cortex.client.internal.ResponseReader;
import io.cortex.client.internal.Transport;
import io.cortex.core.provider.Credentials;
import io.cortex.core.provider.ProviderCapabilities;
import io.cortex.core.provider.ProviderId;
import io.cortex.core.provider.ProviderInfo;
import io.cortex.core.provider.WalletBalance;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The provider endpoints, {@code /api/plugin-core/providers…}: status, capabilities, wallet,
 * credentials and endpoints of the engine's compute providers. Obtained from
 * {@link CortexClient#providers()}; thread-safe. Each method has an {@code …Async} twin, as on
 * {@link JobsApi}.
 */
public final class ProvidersApi {
    private static final String PROVIDERS = "api/plugin-core/providers";

    private final Transport transport;
    private final ResponseReader<List<ProviderInfo>> infos;
    private final ResponseReader<ProviderInfo> info;
    private final ResponseReader<ProviderCapabilities> capabilities;
    private final ResponseReader<WalletBalance> wallet;
    private final ResponseReader<List<URI>> endpoints;

    ProvidersApi(Transport transport) {
        this.transport = transport;
        Readers readers = new Readers(transport.mapper());
        this.infos = readers.of(new TypeReference<List<ProviderInfo>>() {});
        this.info = readers.of(ProviderInfo.class);
        this.capabilities = readers.of(ProviderCapabilities.class);
        this.wallet = readers.of(WalletBalance.class);
        ResponseReader<JsonNode> tree = readers.of(JsonNode.class);
        this.endpoints = result -> endpointsOf(tree.read(result));
    }

    private static List<URI> endpointsOf(JsonNode provider) throws IOException {
        JsonNode list = provider.get("endpoints");
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new IOException("\"endpoints\" is not an array");
        }
        List<URI> uris = new ArrayList<>();
        for (JsonNode e : list) {
            try {
                uris.add(new URI(e.asText()));
            } catch (java.net.URISyntaxException x) {
                throw new IOException("endpoint '" + e.asText() + "' is not a URI", x);
            }
        }
        return List.copyOf(uris);
    }

    /**
     * Every provider of the engine ({@code GET /api/plugin-core/providers}).
     *
     * @return the providers
     * @throws CortexApiException when the call fails
     */
    public List<ProviderInfo> list() {
        return transport.request("GET", PROVIDERS).call(infos);
    }

    /**
     * {@link #list()} without waiting.
     *
     * @return the providers
     */
    public CompletableFuture<List<ProviderInfo>> listAsync() {
        return transport.request("GET", PROVIDERS).callAsync(infos);
    }

    /**
     * One provider ({@code GET /api/plugin-core/providers/{id}}).
     *
     * @param id the provider
     * @return what the engine knows of it
     * @throws NullPointerException when {@code id} is null
     * @throws CortexApiException when the call fails; {@link ResourceNotFoundException} for an unknown provider
     */
    public ProviderInfo get(ProviderId id) {
        return providerRequest("GET", id, null).call(info);
    }

    /**
     * {@link #get(ProviderId)} without waiting.
     *
     * @param id the provider
     * @return what the engine knows of it
     * @throws NullPointerException when {@code id} is null
     */
    public CompletableFuture<ProviderInfo> getAsync(ProviderId id) {
        return providerRequest("GET", id, null).callAsync(info);
    }

    /**
     * The endpoints a provider is reached at, for a provider whose endpoints are managed
     * ({@code GET /api/plugin-core/providers/{id}}, its {@code endpoints}).
     *
     * @param id the provider
     * @return the endpoints; empty when the provider has no endpoints to manage
     * @throws NullPointerException when {@code id} is null
     * @throws CortexApiException when the call fails
     */
    public List<URI> endpoints(ProviderId id) {
        return providerRequest("GET", id, null).call(endpoints);
    }

    /**
     * {@link #endpoints(ProviderId)} without waiting.
     *
     * @param id the provider
     * @return the endpoints
     * @throws NullPointerException when {@code id} is null
     */
    public CompletableFuture<List<URI>> endpointsAsync(ProviderId id) {
        return providerRequest("GET", id, null).callAsync(endpoints);
    }

    /**
     * Replaces the endpoints of a provider ({@code PUT /api/plugin-core/providers/{id}}, admin).
     *
     * @param id the provider
     * @param newEndpoints absolute URIs, at least one
     * @return the provider afterwards
     * @throws NullPointerException when an argument is null
     * @throws IllegalArgumentException when the list is empty
     * @throws CortexApiException when the call fails; {@link ServerException} 501 when the provider has
     *     no endpoints to manage
     */
    public ProviderInfo updateEndpoints(ProviderId id, List<URI> newEndpoints) {
        return endpointsRequest(id, newEndpoints).call(info);
    }

    /**
     * {@link #updateEndpoints(ProviderId, List)} without waiting.
     *
     * @param id the provider
     * @param newEndpoints absolute URIs, at least one
     * @return the provider afterwards
     * @throws NullPointerException when an argument is null
     * @throws IllegalArgumentException when the list is empty
     */
    public CompletableFuture<ProviderInfo> updateEndpointsAsync(ProviderId id, List<URI> newEndpoints) {
        return endpointsRequest(id, newEndpoints).callAsync(info);
    }

    private ApiRequest endpointsRequest(ProviderId id, List<URI> newEndpoints) {
        Preconditions.notNull(newEndpoints, "endpoints");
        Preconditions.argument(!newEndpoints.isEmpty(), "endpoints must not be empty");
        List<String> values = newEndpoints.stream().map(u -> Preconditions.notNull(u, "endpoint").toString()).toList();
        return providerRequest("PUT", id, null).body(Map.of("endpoints", values));
    }

    /**
     * The status of a provider ({@code GET …/providers/{id}/status}).
     *
     * @param id the provider
     * @return what the engine knows of it now
     * @throws NullPointerException when {@code id} is null
     * @throws CortexApiException when the call fails
     */
    public ProviderInfo status(ProviderId id) {
        return providerRequest("GET", id, "status").call(info);
    }

    /**
     * {@link #status(ProviderId)} without waiting.
     *
     * @param id the provider
     * @return what the engine knows of it now
     * @throws NullPointerException when {@code id} is null
     */
    public CompletableFuture<ProviderInfo> statusAsync(ProviderId id) {
        return providerRequest("GET", id, "status").callAsync(info);
    }

    /**
     * What a provider can run at most, and its price ({@code GET …/providers/{id}/capabilities}).
     *
     * @param id the provider
     * @return its capabilities
     * @throws NullPointerException when {@code id} is null
     * @throws CortexApiException when the call fails
     */
    public ProviderCapabilities capabilities(ProviderId id) {
        return providerRequest("GET", id, "capabilities").call(capabilities);
    }

    /**
     * {@link #capabilities(ProviderId)} without waiting.
     *
     * @param id the provider
     * @return its capabilities
     * @throws NullPointerException when {@code id} is null
     */
    public CompletableFuture<ProviderCapabilities> capabilitiesAsync(ProviderId id) {
        return providerRequest("GET", id, "capabilities").callAsync(capabilities);
    }

    /**
     * The wallet balance of a provider ({@code GET …/providers/{id}/wallet}).
     *
     * @param id the provider
     * @return the balance
     * @throws NullPointerException when {@code id} is null
     * @throws CortexApiException when the call fails; {@link ServerException} 501 when it has no wallet
     */
    public WalletBalance wallet(ProviderId id) {
        return providerRequest("GET", id, "wallet").call(wallet);
    }

    /**
     * {@link #wallet(ProviderId)} without waiting.
     *
     * @param id the provider
     * @return the balance
     * @throws NullPointerException when {@code id} is null
     */
    public CompletableFuture<WalletBalance> walletAsync(ProviderId id) {
        return providerRequest("GET", id, "wallet").callAsync(wallet);
    }

    /**
     * Adds funds to a provider's wallet ({@code POST …/providers/{id}/wallet/topup}, admin). Never
     * retried after a 5xx or a broken connection: a second top-up would pay twice.
     *
     * @param id the provider
     * @param amount how much, positive, in the wallet's currency
     * @return the balance afterwards
     * @throws NullPointerException when an argument is null
     * @throws IllegalArgumentException when {@code amount} is not positive
     * @throws CortexApiException when the call fails
     */
    public WalletBalance topUp(ProviderId id, BigDecimal amount) {
        return topUpRequest(id, amount).call(wallet);
    }

    /**
     * {@link #topUp(ProviderId, BigDecimal)} without waiting.
     *
     * @param id the provider
     * @param amount how much, positive
     * @return the balance afterwards
     * @throws NullPointerException when an argument is null
     * @throws IllegalArgumentException when {@code amount} is not positive
     */
    public CompletableFuture<WalletBalance> topUpAsync(ProviderId id, BigDecimal amount) {
        return topUpRequest(id, amount).callAsync(wallet);
    }

    private ApiRequest topUpRequest(ProviderId id, BigDecimal amount) {
        Preconditions.notNull(amount, "amount");
        Preconditions.argument(amount.signum() > 0, "amount must be positive, got %s", amount.toPlainString());
        return providerRequest("POST", id, "wallet/topup").body(Map.of("amount", amount));
    }

    /**
     * Makes the engine refresh a provider's authentication now ({@code POST …/providers/{id}/refresh-auth},
     * admin).
     *
     * @param id the provider
     * @return the provider afterwards
     * @throws NullPointerException when {@code id} is null
     * @throws CortexApiException when the call fails
     */
    public ProviderInfo refreshAuth(ProviderId id) {
        return providerRequest("POST", id, "refresh-auth").call(info);
    }

    /**
     * {@link #refreshAuth(ProviderId)} without waiting.
     *
     * @param id the provider
     * @return the provider afterwards
     * @throws NullPointerException when {@code id} is null
     */
    public CompletableFuture<ProviderInfo> refreshAuthAsync(ProviderId id) {
        return providerRequest("POST", id, "refresh-auth").callAsync(info);
    }

    /**
     * Replaces a provider's credentials ({@code PUT …/providers/{id}/credentials}, admin). The secrets
     * travel in the request body only; they appear in no message, log or exception of the client.
     *
     * @param id the provider
     * @param credentials the new secrets, by name
     * @return the provider afterwards
     * @throws NullPointerException when an argument is null
     * @throws CortexApiException when the call fails
     */
    public ProviderInfo updateCredentials(ProviderId id, Credentials credentials) {
        return credentialsRequest(id, credentials).call(info);
    }

    /**
     * {@link #updateCredentials(ProviderId, Credentials)} without waiting.
     *
     * @param id the provider
     * @param credentials the new secrets, by name
     * @return the provider afterwards
     * @throws NullPointerException when an argument is null
     */
    public CompletableFuture<ProviderInfo> updateCredentialsAsync(ProviderId id, Credentials credentials) {
        return credentialsRequest(id, credentials).callAsync(info);
    }

    private ApiRequest credentialsRequest(ProviderId id, Credentials credentials) {
        Preconditions.notNull(credentials, "credentials");
        // Credentials are written redacted by design; the flat body carries the values
        return providerRequest("PUT", id, "credentials").body(credentials.values());
    }

    private ApiRequest providerRequest(String method, ProviderId id, String sub) {
        Preconditions.notNull(id, "providerId");
        ApiRequest request = transport.request(method, PROVIDERS).segment(id.value());
        return sub == null ? request : request.path(sub);
    }
}
