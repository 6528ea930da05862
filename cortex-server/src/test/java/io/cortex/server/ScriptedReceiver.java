package io.cortex.server;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A webhook endpoint on a loopback port that answers each request with the next status of its script
 * (the last one repeats) and records every request it got. {@link #STALL} answers nothing until the
 * receiver is closed, so the sender's timeout ends the attempt.
 */
final class ScriptedReceiver implements AutoCloseable {
    /** A scripted "answer": none, until the receiver closes. */
    static final int STALL = -1;
    private static final long STALL_LIMIT_SECONDS = 60;

    /** One request: its headers (names in lower case, first values) and body. */
    record Received(Map<String, String> headers, byte[] body, int answeredWith) {
        String webhookId() {
            return headers.get("webhook-id");
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final Deque<Integer> script = new ArrayDeque<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final ExecutorService threads = Executors.newCachedThreadPool();

    ScriptedReceiver(int... answers) {
        for (int a : answers) {
            script.add(a);
        }
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
            int answer = next();
            received.add(new Received(headers, body, answer));
            if (answer == STALL) {
                try {
                    closing.await(STALL_LIMIT_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
                return;
            }
            byte[] reply = ("answered " + answer).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        server.setExecutor(threads); // a stalled request must not hold up the next one
        server.start();
    }

    private synchronized int next() {
        return script.size() > 1 ? script.poll() : script.peek();
    }

    /** The endpoint's URL, e.g. {@code http://127.0.0.1:40123/hook}. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** The requests so far, in arrival order. */
    List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
