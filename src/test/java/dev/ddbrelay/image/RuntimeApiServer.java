package dev.ddbrelay.image;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local stand-in for the Lambda Runtime API (version 2018-06-01), the HTTP endpoint the runtime interface client
 * polls inside a Lambda execution environment: {@code GET invocation/next} hands out queued events one at a time and
 * blocks while there is none; {@code POST invocation/{id}/response} and {@code invocation/{id}/error} complete that
 * invocation; {@code POST init/error} records a failed start. Anything else is answered 404 and recorded.
 */
final class RuntimeApiServer implements AutoCloseable {

    static final String FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:relay";
    private static final String PREFIX = "/2018-06-01/runtime/";
    private static final long FUNCTION_TIMEOUT_MILLIS = 300_000;
    private static final long NOT_YET = Long.MIN_VALUE;

    /** What the function posted for an invocation: its response, or an error with its error type. */
    record Reply(String requestId, boolean error, String errorType, String body, long atNanos) {
    }

    /** A queued or running invocation; {@code reply} completes when the function posts its result. */
    record Invocation(String requestId, byte[] event, CompletableFuture<Reply> reply) {
    }

    /** A request that is not a result: an init error, an unknown request id, an unknown path. */
    record Report(String method, String path, String errorType, String body) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final BlockingQueue<Invocation> queued = new LinkedBlockingQueue<>();
    private final Map<String, Invocation> running = new ConcurrentHashMap<>();
    private final List<Report> initErrors = new CopyOnWriteArrayList<>();
    private final List<Report> unexpected = new CopyOnWriteArrayList<>();
    private final List<Reply> invocationErrors = new CopyOnWriteArrayList<>();
    private final AtomicLong firstNextNanos = new AtomicLong(NOT_YET);
    private volatile boolean closed;

    private RuntimeApiServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    static RuntimeApiServer start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // A waiting "next" holds its thread; the rest must not queue behind it.
        ExecutorService executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "runtime-api");
            thread.setDaemon(true);
            return thread;
        });
        RuntimeApiServer api = new RuntimeApiServer(server, executor);
        server.setExecutor(executor);
        server.createContext("/", api::handle);
        server.start();
        return api;
    }

    /** The value of {@code AWS_LAMBDA_RUNTIME_API}: host and port, no scheme. */
    String address() {
        return server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    /** Queues an event; the function receives it on its next {@code GET invocation/next}. */
    Invocation invoke(String event) {
        Invocation invocation = new Invocation(UUID.randomUUID().toString(), event.getBytes(StandardCharsets.UTF_8),
                new CompletableFuture<>());
        queued.add(invocation);
        return invocation;
    }

    /** {@link System#nanoTime()} when the first {@code GET invocation/next} arrived, or null before. */
    Long firstNextNanos() {
        long nanos = firstNextNanos.get();
        return nanos == NOT_YET ? null : nanos;
    }

    List<Report> initErrors() {
        return List.copyOf(initErrors);
    }

    List<Reply> invocationErrors() {
        return List.copyOf(invocationErrors);
    }

    List<Report> unexpected() {
        return List.copyOf(unexpected);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            byte[] body = readAll(exchange.getRequestBody());
            if (method.equals("GET") && path.equals(PREFIX + "invocation/next")) {
                next(exchange);
            } else if (method.equals("POST") && path.equals(PREFIX + "init/error")) {
                initErrors.add(new Report(method, path, errorType(exchange), text(body)));
                send(exchange, 202, "{\"status\":\"OK\"}");
            } else if (method.equals("POST") && path.startsWith(PREFIX + "invocation/")
                    && (path.endsWith("/response") || path.endsWith("/error"))) {
                result(exchange, path, body);
            } else {
                unexpected.add(new Report(method, path, errorType(exchange), text(body)));
                send(exchange, 404, "{\"errorMessage\":\"unknown path\",\"errorType\":\"InvalidRequest\"}");
            }
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        firstNextNanos.compareAndSet(NOT_YET, System.nanoTime());
        Invocation invocation = null;
        try {
            while (invocation == null && !closed) {
                invocation = queued.poll(200, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (invocation == null) {
            send(exchange, 500, "{\"errorMessage\":\"shutting down\",\"errorType\":\"ServiceException\"}");
            return;
        }
        running.put(invocation.requestId(), invocation);
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        headers.set("Lambda-Runtime-Aws-Request-Id", invocation.requestId());
        headers.set("Lambda-Runtime-Deadline-Ms", String.valueOf(System.currentTimeMillis() + FUNCTION_TIMEOUT_MILLIS));
        headers.set("Lambda-Runtime-Invoked-Function-Arn", FUNCTION_ARN);
        headers.set("Lambda-Runtime-Trace-Id", traceId());
        exchange.sendResponseHeaders(200, invocation.event().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(invocation.event());
        }
    }

    private void result(HttpExchange exchange, String path, byte[] body) throws IOException {
        String rest = path.substring((PREFIX + "invocation/").length());
        int slash = rest.lastIndexOf('/');
        String requestId = rest.substring(0, slash);
        boolean error = rest.substring(slash + 1).equals("error");
        Invocation invocation = running.remove(requestId);
        if (invocation == null) {
            unexpected.add(new Report("POST", path, errorType(exchange), text(body)));
            send(exchange, 400, "{\"errorMessage\":\"unknown request id\",\"errorType\":\"InvalidRequestID\"}");
            return;
        }
        Reply reply = new Reply(requestId, error, errorType(exchange), text(body), System.nanoTime());
        if (error) {
            invocationErrors.add(reply);
        }
        send(exchange, 202, "{\"status\":\"OK\"}");
        invocation.reply().complete(reply);
    }

    private static String errorType(HttpExchange exchange) {
        return exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
    }

    /** An X-Ray trace header as Lambda passes it: a root of version, epoch seconds in hex and 96 random bits. */
    private static String traceId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-"
                + String.format("%08x%016x", random.nextInt(), random.nextLong())
                + ";Parent=" + String.format("%016x", random.nextLong()) + ";Sampled=0";
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        executor.shutdownNow();
    }
}
