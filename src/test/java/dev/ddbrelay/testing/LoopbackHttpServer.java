package dev.ddbrelay.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;

/** The tests' stand-ins for AWS endpoints: an HTTP server on a free loopback port, not started yet. */
public final class LoopbackHttpServer {

    private LoopbackHttpServer() {
    }

    /**
     * Each exchange on a thread of its own (daemon threads, named {@code name}). Without an executor the server reads
     * every request on its one dispatcher thread: a client that connects and sends no HTTP (a connection pool left by
     * an earlier test, retrying a database whose port this server now has) would hold every other request until it
     * gives up, and the clients under test would time out.
     */
    public static HttpServer create(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        }));
        return server;
    }
}
