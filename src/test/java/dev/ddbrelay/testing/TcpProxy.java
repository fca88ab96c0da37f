package dev.ddbrelay.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP forwarder between the relay and the database, so that a test can take the database away
 * (every connection dropped, new ones refused) and bring it back on the same port, and a benchmark can add
 * network latency.
 */
public final class TcpProxy implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;
    private boolean refusing;
    private final long delayNanos;
    private final java.util.concurrent.atomic.AtomicLong untilCut = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
    private final java.util.concurrent.atomic.AtomicLong untilDrop = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
    private final java.util.Deque<Long> laterDrops = new java.util.ArrayDeque<>();
    private int port;

    public TcpProxy(String targetHost, int targetPort) throws IOException {
        this(targetHost, targetPort, 0);
    }

    /** @param delayMicros added before forwarding each chunk in either direction: half a round trip */
    public TcpProxy(String targetHost, int targetPort, long delayMicros) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.delayNanos = delayMicros * 1000;
        open();
    }

    public int port() {
        return port;
    }

    /**
     * Drops every connection, and drops each new one as soon as it is made, as a server that went away would. The
     * proxy keeps its port: binding it again could fail while the dropped connections are still closing.
     */
    public synchronized void cut() throws IOException {
        refusing = true;
        for (Socket socket : sockets) {
            socket.close();
        }
        sockets.clear();
    }

    /**
     * Cuts as {@link #cut()} once this many more bytes went from the clients to the server: the server goes away in
     * the middle of whatever the client was sending, at the same point in every run.
     */
    public void cutOnceSent(long bytes) {
        untilCut.set(bytes);
    }

    /**
     * Drops every open connection once this many more bytes went from the clients to the server, then again once the
     * next count went, and so on, while new connections are accepted throughout: the connection breaks in the middle
     * of a statement, and so does the one that replaces it. Replaces the counts given before.
     */
    public synchronized void dropConnectionsOnceSent(long... bytes) {
        laterDrops.clear();
        for (long count : bytes) {
            laterDrops.add(count);
        }
        Long first = laterDrops.poll();
        untilDrop.set(first == null ? Long.MAX_VALUE : first);
    }

    /** Forgets the counts of {@link #dropConnectionsOnceSent} not reached yet. */
    public void keepConnections() {
        dropConnectionsOnceSent();
    }

    private synchronized void dropConnections() {
        if (untilDrop.get() > 0) {
            return; // another connection reached the count first
        }
        Long next = laterDrops.poll();
        untilDrop.set(next == null ? Long.MAX_VALUE : next);
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        sockets.clear();
    }

    /** Forwards connections again. */
    public synchronized void restore() {
        untilCut.set(Long.MAX_VALUE);
        refusing = false;
    }

    private void open() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        server = socket;
        port = socket.getLocalPort();
        Thread acceptor = new Thread(() -> accept(socket), "proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                synchronized (this) {
                    if (refusing) {
                        client.close();
                        continue;
                    }
                }
                Socket upstream = new Socket(targetHost, targetPort);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream, true);
                pump(upstream, client, false);
            } catch (IOException e) {
                return; // closed by cut() or close()
            }
        }
    }

    private void pump(Socket from, Socket to, boolean toServer) {
        if (delayNanos == 0) {
            daemon("proxy-pump", () -> copy(from, to, null, toServer));
            return;
        }
        // Latency without a bandwidth limit: each chunk leaves a fixed time after it arrived, in order.
        java.util.concurrent.BlockingQueue<Object[]> queue = new java.util.concurrent.LinkedBlockingQueue<>();
        daemon("proxy-read", () -> copy(from, to, queue, toServer));
        daemon("proxy-write", () -> {
            try (OutputStream out = to.getOutputStream()) {
                while (true) {
                    Object[] chunk = queue.take();
                    if (chunk.length == 0) {
                        return;
                    }
                    long wait = (long) chunk[0] + delayNanos - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                    out.write((byte[]) chunk[1]);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // One side went away.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
    }

    /** Copies from one socket to the other, or into the queue of a delaying writer. */
    private void copy(Socket from, Socket to, java.util.concurrent.BlockingQueue<Object[]> queue, boolean toServer) {
        byte[] buffer = new byte[65536];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = queue == null ? to.getOutputStream() : null;
            for (int read; (read = in.read(buffer)) >= 0; ) {
                if (toServer && untilCut.addAndGet(-read) <= 0) {
                    cut(); // what was read is lost with the connection
                    return;
                }
                if (toServer && untilDrop.addAndGet(-read) <= 0) {
                    dropConnections(); // the same, but the next connection is accepted
                    return;
                }
                if (queue == null) {
                    out.write(buffer, 0, read);
                    out.flush();
                } else {
                    queue.add(new Object[] {System.nanoTime(), java.util.Arrays.copyOf(buffer, read)});
                }
            }
        } catch (IOException e) {
            // One side went away: close both.
        } finally {
            if (queue != null) {
                queue.add(new Object[0]);
            } else {
                closeQuietly(from);
                closeQuietly(to);
            }
        }
    }

    private static void daemon(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        cut();
        server.close();
    }
}
