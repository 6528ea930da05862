package io.cortex.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback in front of a real server that loses answers: on the first
 * {@code dropFirst} connections it forwards the request, waits until the server starts to answer
 * (so the server has acted on it), then resets the client's connection instead of forwarding the
 * answer. Later connections are forwarded both ways untouched.
 */
final class DroppingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final String upstreamHost;
    private final int upstreamPort;
    private final AtomicInteger toDrop;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "dropping-proxy");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    DroppingProxy(URI upstream, int dropFirst) throws IOException {
        this.upstreamHost = upstream.getHost();
        this.upstreamPort = upstream.getPort();
        this.toDrop = new AtomicInteger(dropFirst);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    /** Connections accepted so far. */
    int connections() {
        return connections.get();
    }

    /** Answers lost so far. */
    int dropped() {
        return dropped.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                connections.incrementAndGet();
                Socket server = new Socket(upstreamHost, upstreamPort);
                sockets.add(client);
                sockets.add(server);
                boolean drop = toDrop.getAndDecrement() > 0;
                threads.execute(() -> pump(client, server));
                threads.execute(() -> {
                    if (drop) {
                        loseTheAnswer(server, client);
                    } else {
                        pump(server, client);
                    }
                });
            } catch (IOException e) {
                if (!closed) {
                    throw new IllegalStateException("proxy failed", e);
                }
            }
        }
    }

    private void loseTheAnswer(Socket server, Socket client) {
        try {
            int first = server.getInputStream().read(new byte[8192]);
            if (first > 0) {
                dropped.incrementAndGet();
            }
            client.setSoLinger(true, 0); // close with RST: the client sees "connection reset"
            client.close();
            server.close();
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    private static void pump(Socket from, Socket to) {
        byte[] buffer = new byte[8192];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buffer)) >= 0;) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        sockets.forEach(DroppingProxy::closeQuietly);
        threads.shutdownNow();
    }
}
