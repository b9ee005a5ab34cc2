package dev.reel.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minio.AbortMultipartUploadArgs;
import io.minio.CompleteMultipartUploadArgs;
import io.minio.CreateMultipartUploadArgs;
import io.minio.GetObjectArgs;
import io.minio.ListMultipartUploadsArgs;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.UploadPartArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Part;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The S3 operations Reel relies on, through minio-java, against the real S3 server of the test cluster. */
@RealCluster
class S3OperationsIT {

    private static final int PART_SIZE = 5 * 1024 * 1024; // S3's minimum for every part but the last

    private final ClusterEndpoints cluster;
    private MinioClient client;
    private MinioAsyncClient asyncClient;

    S3OperationsIT(ClusterEndpoints cluster) {
        this.cluster = cluster;
    }

    @BeforeEach
    void clients() {
        client = cluster.s3().client();
        asyncClient = cluster.s3().asyncClient();
    }

    @AfterEach
    void close() throws Exception {
        client.close();
        asyncClient.close();
    }

    @Test
    void putGetAndRangedGet() throws Exception {
        byte[] content = randomBytes(1_000_003);
        String key = "it/" + UUID.randomUUID() + "/object.bin";
        client.putObject(PutObjectArgs.builder().bucket(cluster.bucket()).object(key).data(content, content.length)
                .contentType("application/octet-stream").build());

        assertThat(client.statObject(StatObjectArgs.builder().bucket(cluster.bucket()).object(key).build()).size())
                .isEqualTo(content.length);
        assertThat(read(GetObjectArgs.builder().bucket(cluster.bucket()).object(key).build())).isEqualTo(content);
        assertThat(read(GetObjectArgs.builder().bucket(cluster.bucket()).object(key).offset(500_000L).length(1234L).build()))
                .isEqualTo(Arrays.copyOfRange(content, 500_000, 501_234));
        assertThat(read(GetObjectArgs.builder().bucket(cluster.bucket()).object(key).offset(999_000L).build()))
                .isEqualTo(Arrays.copyOfRange(content, 999_000, content.length));

        client.removeObject(RemoveObjectArgs.builder().bucket(cluster.bucket()).object(key).build());
        assertNoObject(key);
    }

    @Test
    void multipartUploadIsAssembledInPartOrder() throws Exception {
        byte[] first = randomBytes(PART_SIZE);
        byte[] second = randomBytes(777_777);
        String key = "it/" + UUID.randomUUID() + "/multipart.bin";
        String uploadId = createUpload(key);

        // Parts may arrive in any order; the completed object follows the part numbers.
        Part p2 = uploadPart(key, uploadId, 2, second);
        Part p1 = uploadPart(key, uploadId, 1, first);
        asyncClient.completeMultipartUpload(CompleteMultipartUploadArgs.builder().bucket(cluster.bucket()).object(key)
                .uploadId(uploadId).parts(new Part[]{p1, p2}).build()).get();

        byte[] whole = read(GetObjectArgs.builder().bucket(cluster.bucket()).object(key).build());
        assertThat(whole.length).isEqualTo(first.length + second.length);
        assertThat(Arrays.copyOfRange(whole, 0, first.length)).isEqualTo(first);
        assertThat(Arrays.copyOfRange(whole, first.length, whole.length)).isEqualTo(second);
    }

    @Test
    void abortedMultipartUploadLeavesNothing() throws Exception {
        String key = "it/" + UUID.randomUUID() + "/aborted.bin";
        String uploadId = createUpload(key);
        uploadPart(key, uploadId, 1, randomBytes(PART_SIZE));
        assertThat(openUploads(key)).contains(uploadId);

        asyncClient.abortMultipartUpload(AbortMultipartUploadArgs.builder().bucket(cluster.bucket()).object(key)
                .uploadId(uploadId).build()).get();

        assertThat(openUploads(key)).doesNotContain(uploadId);
        assertNoObject(key);
    }

    private String createUpload(String key) throws Exception {
        return asyncClient.createMultipartUpload(CreateMultipartUploadArgs.builder().bucket(cluster.bucket()).object(key).build())
                .get().result().uploadId();
    }

    private Part uploadPart(String key, String uploadId, int number, byte[] data) throws Exception {
        return asyncClient.uploadPart(UploadPartArgs.builder().bucket(cluster.bucket()).object(key)
                .uploadId(uploadId).partNumber(number).data(data, data.length).build()).get().part();
    }

    private java.util.List<String> openUploads(String key) throws Exception {
        return asyncClient.listMultipartUploads(ListMultipartUploadsArgs.builder().bucket(cluster.bucket()).prefix(key).build())
                .get().result().uploads().stream().map(u -> u.uploadId()).toList();
    }

    private void assertNoObject(String key) {
        assertThatThrownBy(() -> client.statObject(StatObjectArgs.builder().bucket(cluster.bucket()).object(key).build()))
                .isInstanceOf(ErrorResponseException.class)
                .satisfies(e -> assertThat(((ErrorResponseException) e).errorResponse().code()).isEqualTo("NoSuchKey"));
    }

    private byte[] read(GetObjectArgs args) throws Exception {
        try (InputStream in = client.getObject(args)) {
            return in.readAllBytes();
        }
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
