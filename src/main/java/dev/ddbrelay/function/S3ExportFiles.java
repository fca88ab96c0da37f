package dev.ddbrelay.function;

import java.io.FileNotFoundException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Export files in S3, read with the credentials and region of the environment. The client is built on the first read,
 * so that a function that never backfills never builds one.
 */
final class S3ExportFiles implements ExportFileLoader.Files {

    private final boolean pathStyle;
    private volatile S3Client client;

    /** @param pathStyle address buckets in the path, as S3-compatible stores named by {@code AWS_ENDPOINT_URL_S3} need */
    S3ExportFiles(boolean pathStyle) {
        this.pathStyle = pathStyle;
    }

    @Override
    public InputStream open(String bucket, String key) throws IOException {
        String name = "s3://" + bucket + "/" + key;
        InputStream object;
        try {
            object = client().getObject(GetObjectRequest.builder().bucket(bucket).key(key).build());
        } catch (NoSuchKeyException | NoSuchBucketException e) {
            throw new FileNotFoundException("no export file " + name + ": " + e.awsErrorDetails().errorMessage());
        } catch (SdkException e) {
            throw new IOException("cannot read " + name + ": " + e.getMessage(), e);
        }
        // The SDK may report a connection broken while the body is read unchecked: make it the IOException it is.
        return new FilterInputStream(object) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (SdkException e) {
                    throw new IOException("reading " + name + " broke off: " + e.getMessage(), e);
                }
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                try {
                    return super.read(buffer, offset, length);
                } catch (SdkException e) {
                    throw new IOException("reading " + name + " broke off: " + e.getMessage(), e);
                }
            }
        };
    }

    private S3Client client() {
        S3Client built = client;
        if (built == null) {
            synchronized (this) {
                if (client == null) {
                    client = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                            .forcePathStyle(pathStyle).build();
                }
                built = client;
            }
        }
        return built;
    }
}
