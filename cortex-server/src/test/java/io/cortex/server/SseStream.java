package io.cortex.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Server-Sent Events reader over a real loopback connection: either {@link #open} with
 * {@code java.net.http} (what a script would use), or {@link #stalled} on a raw socket that sends the
 * request and then reads nothing until told to, with a tiny receive buffer (a client that stopped
 * reading). A daemon thread parses the stream into {@link Message}s.
 */
final class SseStream implements AutoCloseable {
    /** One message, or one comment line ({@code event}, {@code data} and {@code id} null). */
    record Message(String id, String event, String data, String comment) {
        boolean isComment() {
            return comment != null;
        }

        long idNumber() {
            return Long.parseLong(id);
        }
    }

    private static final Message END = new Message(null, null, null, "<end of stream>");

    final int status;
    final String contentType;
    private final AutoCloseable connection;
    private final InputStream body;
    private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private volatile boolean ended;

    private SseStream(int status, String contentType, InputStream body, AutoCloseable connection) {
        this.status = status;
        this.contentType = contentType;
        this.body = body;
        this.connection = connection;
    }

    /** GETs {@code uri} with the key's bearer token (none when null) and the extra headers; reads in the background. */
    static SseStream open(HttpClient http, URI uri, GeneratedApiKey key, String... headers) {
        HttpRequest.Builder r = HttpRequest.newBuilder(uri).GET();
        if (key != null) {
            r.header("Authorization", "Bearer " + key.token());
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            r.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<InputStream> resp = http.send(r.build(), HttpResponse.BodyHandlers.ofInputStream());
            SseStream s = new SseStream(resp.statusCode(), resp.headers().firstValue("Content-Type").orElse(""),
                    resp.body(), resp.body());
            s.startReading(new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8)));
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends the request over a raw socket with a 4 KiB receive buffer and reads nothing until
     * {@link #startReading()}: the server sees a client that stopped reading.
     */
    static SseStream stalled(URI base, String pathAndQuery, GeneratedApiKey key) {
        try {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
            OutputStream out = socket.getOutputStream();
            // HTTP/1.0: the body is not chunked and ends when the server closes the connection
            out.write(("GET " + pathAndQuery + " HTTP/1.0\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nAuthorization: Bearer " + key.token() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new SseStream(-1, "", socket.getInputStream(), socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** For a {@link #stalled} stream: skips the response head and starts reading messages. */
    SseStream startReading() {
        BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        try {
            String status = in.readLine();
            if (status == null || !status.contains(" 200")) {
                throw new AssertionError("the event stream answered " + status);
            }
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                // response headers
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        startReading(in);
        return this;
    }

    private void startReading(BufferedReader in) {
        Thread t = new Thread(() -> parse(in), "sse-test-reader");
        t.setDaemon(true);
        t.start();
    }

    private void parse(BufferedReader in) {
        String id = null;
        String event = null;
        StringBuilder data = null;
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isEmpty()) {
                    if (data != null || event != null) {
                        messages.add(new Message(id, event, data == null ? null : data.toString(), null));
                    }
                    id = null;
                    event = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    messages.add(new Message(null, null, null, line.substring(1).trim()));
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
                } else {
                    messages.add(new Message(null, null, null, "unexpected line: " + line));
                }
            }
        } catch (IOException e) {
            // the connection was closed: the stream ended
        } finally {
            ended = true;
            messages.add(END);
        }
    }

    /** The next message or comment, or an AssertionError after {@code timeout}. */
    Message next(Duration timeout) {
        try {
            Message m = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (m == null) {
                throw new AssertionError("no message within " + timeout);
            }
            if (m == END) {
                messages.add(END);
                throw new AssertionError("the stream ended");
            }
            return m;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next {@code n} messages, comments skipped. */
    List<Message> events(int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Message> out = new ArrayList<>(n);
        while (out.size() < n) {
            Message m = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (!m.isComment()) {
                out.add(m);
            }
        }
        return out;
    }

    /** Every message received by now, comments skipped, without waiting. */
    List<Message> drained() {
        List<Message> out = new ArrayList<>();
        for (Message m = messages.poll(); m != null; m = messages.poll()) {
            if (m == END) {
                messages.add(END);
                break;
            }
            if (!m.isComment()) {
                out.add(m);
            }
        }
        return out;
    }

    /** True once the server ended the stream (or the connection broke). */
    boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (Exception e) {
            // already closed
        }
    }
}
