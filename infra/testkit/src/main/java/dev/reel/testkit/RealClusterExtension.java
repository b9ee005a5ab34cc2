package dev.reel.testkit;

import java.util.Locale;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * Starts one real cluster per test JVM, the first time a test asks for {@link ClusterEndpoints}, and stops
 * it when the JVM's tests are done (the root store closes it).
 *
 * <p>{@code REEL_TEST_CLUSTER} chooses: {@code auto} (default: containers when a Docker engine answers,
 * else embedded), {@code embedded} or {@code containers}.
 */
public final class RealClusterExtension implements ParameterResolver {

    private static final Logger log = LoggerFactory.getLogger(RealClusterExtension.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RealClusterExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ClusterEndpoints.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(TestCluster.class, key -> startCluster(), TestCluster.class)
                .endpoints();
    }

    private static TestCluster startCluster() {
        String mode = System.getenv().getOrDefault("REEL_TEST_CLUSTER", "auto").toLowerCase(Locale.ROOT);
        return switch (mode) {
            case "embedded" -> EmbeddedTestCluster.start();
            case "containers" -> ContainerTestCluster.start();
            case "auto" -> {
                if (DockerClientFactory.instance().isDockerAvailable()) {
                    yield ContainerTestCluster.start();
                }
                log.info("no Docker engine answers: the tests run against Reel's embedded Kafka and S3 processes");
                yield EmbeddedTestCluster.start();
            }
            default -> throw new IllegalArgumentException("REEL_TEST_CLUSTER must be auto, embedded or containers, not " + mode);
        };
    }

    /** A started cluster that the root store closes at the end of the test run. */
    interface TestCluster extends AutoCloseable {
        ClusterEndpoints endpoints();

        @Override
        void close();
    }
}
