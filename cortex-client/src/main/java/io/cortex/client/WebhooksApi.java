package io.cortex.client;

import com.fasterxml.jackson.core.type.TypeReference;
import io.cortex.client.internal.ApiRequest;
import io.cortex.client.internal.Preconditions;
import io.cortex.client.internal.Readers;
import io.cortex.client.internal.ResponseReader;
import io.cortex.client.internal.Transport;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The webhook endpoints, {@code /api/plugin-core/webhooks…}: subscribe to job and provider events
 * instead of polling, and read the delivery history when events go missing. Obtained from
 * {@link CortexClient#webhooks()}; thread-safe. Each method has an {@code …Async} twin, as on
 * {@link JobsApi}.
 */
public final class WebhooksApi {
    private static final String WEBHOOKS = "api/plugin-core/webhooks";

    private final Transport transport;
    private final ResponseReader<WebhookSubscription> subscription;
    private final ResponseReader<List<WebhookSubscription>> subscriptions;
    private final ResponseReader<List<WebhookDelivery>> deliveries;

    WebhooksApi(Transport transport) {
        this.transport = transport;
        Readers readers = new Readers(transport.mapper());
        this.subscription = readers.of(WebhookSubscription.class);
        this.subscriptions = readers.of(new TypeReference<List<WebhookSubscription>>() {});
        this.deliveries = readers.of(new TypeReference<List<WebhookDelivery>>() {});
    }

    /**
     * Subscribes a URL to events ({@code POST /api/plugin-core/webhooks}, admin). The answer is the only
     * one that shows the signing secret: keep it to verify deliveries. Not retried after a 5xx or a
     * broken connection (a second subscription could be made).
     *
     * @param request the URL, events and options
     * @return the subscription, with its {@linkplain WebhookSubscription#signingSecret() secret}
     * @throws NullPointerException when {@code request} is null
     * @throws CortexApiException when the call fails; {@link ValidationException} for a URL the server refuses
     */
    public WebhookSubscription create(NewWebhook request) {
        return createRequest(request).call(subscription);
    }

    /**
     * {@link #create(NewWebhook)} without waiting.
     *
     * @param request the URL, events and options
     * @return the subscription, with its secret
     * @throws NullPointerException when {@code request} is null
     */
    public CompletableFuture<WebhookSubscription> createAsync(NewWebhook request) {
        return createRequest(request).callAsync(subscription);
    }

    private ApiRequest createRequest(NewWebhook request) {
        Preconditions.notNull(request, "request");
        return transport.request("POST", WEBHOOKS).body(request.body());
    }

    /**
     * Every subscription, secrets not shown ({@code GET /api/plugin-core/webhooks}).
     *
     * @return the subscriptions
     * @throws CortexApiException when the call fails
     */
    public List<WebhookSubscription> list() {
        return transport.request("GET", WEBHOOKS).call(subscriptions);
    }

    /**
     * {@link #list()} without waiting.
     *
     * @return the subscriptions
     */
    public CompletableFuture<List<WebhookSubscription>> listAsync() {
        return transport.request("GET", WEBHOOKS).callAsync(subscriptions);
    }

    /**
     * One subscription ({@code GET /api/plugin-core/webhooks/{id}}).
     *
     * @param id the subscription
     * @return it, secret not shown
     * @throws NullPointerException when {@code id} is null
     * @throws CortexApiException when the call fails; {@link ResourceNotFoundException} for an unknown id
     */
    public WebhookSubscription get(String id) {
        return webhookRequest("GET", id, null).call(subscription);
    }

    /**
     * {@link #get(String)} without waiting.
     *
     * @param id the subscription
     * @return it
     * @throws NullPointerException when {@code id} is null
     */
    public CompletableFuture<WebhookSubscription> getAsync(String id) {
        return webhookRequest("GET", id, null).callAsync(subscription);
    }

    /**
     * Changes a subscription in part ({@code PUT /api/plugin-core/webhooks/{id}}, admin).
     *
     * @param id the subscription
     * @param update what changes
     * @return the subscription afterwards
     * @throws NullPointerException when an argument is null
     * @throws CortexApiException when the call fails
     */
    public WebhookSubscription update(String id, WebhookUpdate update) {
        return updateRequest(id, update).call(subscription);
    }

    /**
     * {@link #update(String, WebhookUpdate)} without waiting.
     *
     * @param id the subscription
     * @param update what changes
     * @return the subscription afterwards
     * @throws NullPointerException when an argument is null
     */
    public CompletableFuture<WebhookSubscription> updateAsync(String id, WebhookUpdate update) {
        return updateRequest(id, update).callAsync(subscription);
    }

    private ApiRequest updateRequest(String id, WebhookUpdate update) {
        Preconditions.notNull(update, "update");
        return webhookRequest("PUT", id, null).body(update.body());
    }

    /**
     * Removes a subscription ({@code DELETE /api/plugin-core/webhooks/{id}}, admin).
     *
     * @param id the subscription
     * @throws NullPointerException when {@code id} is null
     * @throws CortexApiException when the call fails; {@link ResourceNotFoundException} for an unknown id
     */
    public void delete(String id) {
        webhookRequest("DELETE", id, null).call(Readers.none());
    }

    /**
     * {@link #delete(String)} without waiting.
     *
     * @param id the subscription
     * @return completed when it is removed
     * @throws NullPointerException when {@code id} is null
     */
    public CompletableFuture<Void> deleteAsync(String id) {
        return webhookRequest("DELETE", id, null).callAsync(Readers.none());
    }

    /**
     * The delivery attempts of a subscription ({@code GET …/webhooks/{id}/history}).
     *
     * @param id the subscription
     * @return its deliveries
     * @throws NullPointerException when {@code id} is null
     * @throws CortexApiException when the call fails
     */
    public List<WebhookDelivery> history(String id) {
        return webhookRequest("GET", id, "history").call(deliveries);
    }

    /**
     * {@link #history(String)} without waiting.
     *
     * @param id the subscription
     * @return its deliveries
     * @throws NullPointerException when {@code id} is null
     */
    public CompletableFuture<List<WebhookDelivery>> historyAsync(String id) {
        return webhookRequest("GET", id, "history").callAsync(deliveries);
    }

    private ApiRequest webhookRequest(String method, String id, String sub) {
        Preconditions.notBlank(id, "webhookId");
        ApiRequest request = transport.request(method, WEBHOOKS).segment(id);
        return sub == null ? request : request.path(sub);
    }
}
