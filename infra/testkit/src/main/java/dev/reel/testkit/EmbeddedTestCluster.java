package dev.reel.testkit;

import dev.reel.cluster.LocalCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The cluster as Reel's own child processes (a real one-node KRaft broker and S3Proxy or MinIO), on free
 * ports, under {@code target/reel-test-cluster-*} so its logs stay there after a failed run.
 */
final class EmbeddedTestCluster implements RealClusterExtension.TestCluster {

    private final LocalCluster cluster;

    private EmbeddedTestCluster(LocalCluster cluster) {
        this.cluster = cluster;
    }

    static EmbeddedTestCluster start() {
        try {
            Path target = Files.createDirectories(Path.of("target"));
            Path runDir = Files.createTempDirectory(target.toAbsolutePath(), "reel-test-cluster-");
            return new EmbeddedTestCluster(LocalCluster.start(LocalCluster.Options.forTests(runDir, 1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public ClusterEndpoints endpoints() {
        return new ClusterEndpoints(cluster.bootstrapServers(), cluster.s3Endpoint(), LocalCluster.DEFAULT_BUCKET);
    }

    @Override
    public void close() {
        cluster.close();
    }
}
