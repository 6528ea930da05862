package io.cortex.client;

import com.sun.net.httpserver.HttpServer;
import io.cortex.core.Cortex;
import io.cortex.core.ManualClock;
import io.cortex.core.job.JobSpec;
import io.cortex.core.job.ReasonCode;
import io.cortex.core.provider.AttemptRef;
import io.cortex.core.provider.ComputeProvider;
import io.cortex.core.provider.ProviderCapabilities;
import io.cortex.core.provider.ProviderException;
import io.cortex.core.provider.ProviderHealth;
import io.cortex.core.provider.ProviderId;
import io.cortex.core.provider.ProviderJobRef;
import io.cortex.core.provider.RemoteStatus;
import io.cortex.provider.inmemory.InMemoryProvider;
import io.cortex.provider.inmemory.Outcome;
import io.cortex.server.ApiKeys;
import io.cortex.server.CortexServer;
import io.cortex.server.GeneratedApiKey;
import io.cortex.server.RateLimit;
import io.cortex.server.Scope;
import io.cortex.webhooks.UrlPolicy;
import io.cortex.webhooks.WebhookDispatcher;
import io.cortex.webhooks.WebhookSubscriptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The real {@link CortexServer} on an ephemeral loopback port over a manual engine and a manual clock:
 * <ul>
 *   <li>{@code alpha}: in-memory, 0.10 USDC/h, wallet 50, starts a job 30 s after it is placed and runs
 *       it 60 s; image {@code acme/broken} exits 2, {@code acme/chatty} prints two lines;</li>
 *   <li>{@code beta}: in-memory, 0.20 USDC/h, no wallet, same timing;</li>
 *   <li>{@code gamma}: offline, with no optional ability.</li>
 * </ul>
 * Keys {@link #admin}, {@link #writer}, {@link #reader}; webhooks with a manual dispatcher and a local
 * receiver at {@link #hookUrl}. Clients made by {@link #client} wait by moving the manual clock, so a
 * {@code Retry-After} of the server's rate limiter is honoured without real waiting.
 */
final class RealServer implements AutoCloseable {
    final ManualClock clock = new ManualClock();
    final InMemoryProvider alpha;
    final InMemoryProvider beta;
    final Cortex cortex;
    final ApiKeys keys = new ApiKeys(clock);
    final GeneratedApiKey admin = keys.generate("admin", Scope.ADMIN);
    final GeneratedApiKey writer = keys.generate("writer", Scope.WRITE);
    final GeneratedApiKey reader = keys.generate("reader", Scope.READ);
    final WebhookSubscriptions subscriptions = new WebhookSubscriptions();
    final WebhookDispatcher dispatcher;
    final CortexServer server;
    final HttpServer receiver;
    final String hookUrl;
    /** Every wait of every client made here, in order. */
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private final List<CortexClient> clients = new ArrayList<>();

    RealServer(RateLimit rateLimit) {
        alpha = InMemoryProvider.builder("alpha").clock(clock).price("0.10", "USDC").wallet("50")
                .startAfter(Duration.ofSeconds(30)).runFor(Duration.ofSeconds(60)).build();
        beta = InMemoryProvider.builder("beta").clock(clock).price("0.20", "USDC")
                .startAfter(Duration.ofSeconds(30)).runFor(Duration.ofSeconds(60)).build();
        for (InMemoryProvider p : List.of(alpha, beta)) {
            p.onImage("acme/broken", Outcome.exit(2, "boom"));
            p.onImage("acme/chatty", Outcome.succeed().printing("loading model", "epoch 1"));
        }
        cortex = Cortex.builder().clock(clock).manual().provider(alpha).provider(beta).provider(new Offline("gamma"))
                .build();
        dispatcher = WebhookDispatcher.builder().engine(cortex).subscriptions(subscriptions).manual().build();
        server = CortexServer.builder().cortex(cortex).apiKeys(keys).clock(clock).rateLimit(rateLimit)
                .webhooks(subscriptions).webhookDispatcher(dispatcher).webhookUrlPolicy(UrlPolicy.of(true, true))
                .start();
        try {
            receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        receiver.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        hookUrl = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/webhook";
    }

    RealServer() {
        this(RateLimit.of(100_000, Duration.ofMinutes(1)));
    }

    /** A client of this server with {@code key}'s token. */
    CortexClient client(GeneratedApiKey key) {
        return client(server.uri(), key, b -> { });
    }

    /** A client of {@code url} (this server, or a proxy in front of it) with extra options. */
    CortexClient client(URI url, GeneratedApiKey key, java.util.function.Consumer<CortexClient.Builder> options) {
        CortexClient.Builder b = CortexClient.builder().baseUrl(url).clock(clock).sleeper(d -> {
            sleeps.add(d);
            clock.advance(d);
        });
        if (key != null) {
            b.apiKey(key.token());
        }
        options.accept(b);
        CortexClient c = b.build();
        clients.add(c);
        return c;
    }

    /** Moves the clock and runs one round of the engine's background work. */
    void advance(Duration by) {
        clock.advance(by);
        cortex.tick();
    }

    @Override
    public void close() {
        clients.forEach(CortexClient::close);
        receiver.stop(0);
        server.close();
        dispatcher.close();
        cortex.close();
    }

    /** A provider that is switched off and has no optional ability. */
    private static final class Offline implements ComputeProvider {
        private final ProviderId id;

        Offline(String id) {
            this.id = ProviderId.of(id);
        }

        @Override
        public ProviderId id() {
            return id;
        }

        @Override
        public String type() {
            return "offline";
        }

        @Override
        public ProviderCapabilities capabilities() {
            return ProviderCapabilities.of(4000, "8Gi", "100Gi");
        }

        @Override
        public ProviderHealth checkHealth() {
            return ProviderHealth.offline("switched off for the test");
        }

        @Override
        public ProviderJobRef submit(JobSpec spec, AttemptRef attempt) {
            throw new ProviderException(ReasonCode.PROVIDER_OFFLINE, "switched off");
        }

        @Override
        public RemoteStatus status(ProviderJobRef ref) {
            throw new ProviderException(ReasonCode.PROVIDER_OFFLINE, "switched off");
        }

        @Override
        public void cancel(ProviderJobRef ref) {
            // nothing runs here
        }
    }
}
