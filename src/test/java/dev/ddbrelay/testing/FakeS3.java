package dev.ddbrelay.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A loopback HTTP server answering the two S3 calls a backfill makes, path-style: ListObjectsV2 on a bucket and
 * GetObject of a key.
 */
public final class FakeS3 {

    private FakeS3() {
    }

    public static HttpServer serve(String bucket, Map<String, byte[]> objects) throws IOException {
        HttpServer server = LoopbackHttpServer.create("fake-s3");
        server.createContext("/", exchange -> {
            try {
                String path = URLDecoder.decode(exchange.getRequestURI().getRawPath(), StandardCharsets.UTF_8);
                Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
                if (path.equals("/" + bucket) || path.equals("/" + bucket + "/")) {
                    list(exchange, bucket, objects, query.getOrDefault("prefix", ""));
                } else if (path.startsWith("/" + bucket + "/") && objects.containsKey(path.substring(bucket.length() + 2))) {
                    send(exchange, 200, "application/octet-stream", objects.get(path.substring(bucket.length() + 2)));
                } else {
                    send(exchange, 404, "application/xml", ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code>"
                            + "<Message>The specified key does not exist.</Message></Error>").getBytes(StandardCharsets.UTF_8));
                }
            } finally {
                exchange.close();
            }
        });
        server.start();
        return server;
    }

    private static void list(HttpExchange exchange, String bucket, Map<String, byte[]> objects, String prefix)
            throws IOException {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult>")
                .append("<Name>").append(bucket).append("</Name><Prefix>").append(prefix).append("</Prefix>")
                .append("<MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>");
        int count = 0;
        for (Map.Entry<String, byte[]> object : objects.entrySet()) {
            if (object.getKey().startsWith(prefix)) {
                count++;
                xml.append("<Contents><Key>").append(object.getKey()).append("</Key><Size>").append(object.getValue().length)
                        .append("</Size><LastModified>2024-07-11T10:00:00.000Z</LastModified><ETag>\"e\"</ETag>")
                        .append("<StorageClass>STANDARD</StorageClass></Contents>");
            }
        }
        xml.append("<KeyCount>").append(count).append("</KeyCount></ListBucketResult>");
        send(exchange, 200, "application/xml", xml.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int equals = pair.indexOf('=');
                String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                query.put(name, equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }
}
