package dev.ddbrelay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A DynamoDB export in S3, read through the AWS SDK with the credentials and region of the environment. An
 * S3-compatible store named by {@code AWS_ENDPOINT_URL_S3} is addressed path-style.
 */
final class S3Export implements AutoCloseable {

    private final S3Client client;

    S3Export() {
        boolean customEndpoint = System.getenv("AWS_ENDPOINT_URL_S3") != null || System.getProperty("aws.endpointUrlS3") != null;
        client = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).forcePathStyle(customEndpoint).build();
    }

    private record Location(String bucket, String prefix) {
        static Location of(String uri) {
            String path = uri.substring("s3://".length());
            int slash = path.indexOf('/');
            return slash < 0 ? new Location(path, "") : new Location(path.substring(0, slash), path.substring(slash + 1));
        }
    }

    /** The data files under {@code s3://bucket/prefix}, in key order. */
    List<ExportFiles.Part> parts(String uri) throws IOException {
        Location location = Location.of(uri);
        List<ExportFiles.Part> parts = new ArrayList<>();
        try {
            for (S3Object object : client.listObjectsV2Paginator(ListObjectsV2Request.builder()
                    .bucket(location.bucket()).prefix(location.prefix()).build()).contents()) {
                if (ExportFiles.isData(object.key())) {
                    parts.add(part(location.bucket(), object.key(), object.size()));
                }
            }
        } catch (SdkException e) {
            throw new IOException("cannot list " + uri + ": " + e.getMessage(), e);
        }
        if (parts.isEmpty()) {
            throw new IOException("no export data files under " + uri);
        }
        return parts;
    }

    private ExportFiles.Part part(String bucket, String key, long size) {
        return new ExportFiles.Part() {
            @Override
            public String name() {
                return "s3://" + bucket + "/" + key;
            }

            @Override
            public long size() {
                return size;
            }

            @Override
            public InputStream open() throws IOException {
                try {
                    return client.getObject(GetObjectRequest.builder().bucket(bucket).key(key).build());
                } catch (SdkException e) {
                    throw new IOException("cannot read " + name() + ": " + e.getMessage(), e);
                }
            }
        };
    }

    /** {@code manifest-summary.json} at the prefix or up to two folders above it; null when there is none. */
    JsonNode manifestSummary(String uri) throws IOException {
        Location location = Location.of(uri);
        String folder = location.prefix().endsWith("/") ? location.prefix().substring(0, location.prefix().length() - 1)
                : location.prefix();
        for (int up = 0; up <= 2; up++) {
            String key = folder.isEmpty() ? "manifest-summary.json" : folder + "/manifest-summary.json";
            try (InputStream manifest = client.getObject(GetObjectRequest.builder().bucket(location.bucket()).key(key).build())) {
                return new ObjectMapper().readTree(manifest);
            } catch (NoSuchKeyException e) {
                // look one folder up
            } catch (SdkException e) {
                throw new IOException("cannot read s3://" + location.bucket() + "/" + key + ": " + e.getMessage(), e);
            }
            if (folder.isEmpty()) {
                break;
            }
            folder = folder.contains("/") ? folder.substring(0, folder.lastIndexOf('/')) : "";
        }
        return null;
    }

    @Override
    public void close() {
        client.close();
    }
}
