package dev.reel.cluster;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real S3-compatible server as a child process: {@code minio server} when a {@code minio} binary is on
 * PATH, else S3Proxy with its filesystem backend. Both keep their objects under {@code dataDir}.
 */
public final class S3Server implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(S3Server.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final S3Endpoint endpoint;
    private final ChildProcess process;

    private S3Server(S3Endpoint endpoint, ChildProcess process) {
        this.endpoint = endpoint;
        this.process = process;
    }

    /** Which server this machine can run. */
    public enum Kind {
        MINIO, S3PROXY
    }

    public static Kind availableKind() {
        return Executables.find("minio").isPresent() ? Kind.MINIO : Kind.S3PROXY;
    }

    /** Starts the server, waits until it answers authenticated requests, and creates the buckets. */
    public static S3Server start(Path dir, Path logDir, int port, String accessKey, String secretKey,
            Collection<String> buckets, Duration readyTimeout) {
        Ports.requireFree(port, "S3 server");
        S3Endpoint endpoint = new S3Endpoint("http://127.0.0.1:" + port, accessKey, secretKey, S3Endpoint.DEFAULT_REGION);
        Kind kind = availableKind();
        ChildProcess process = switch (kind) {
            case MINIO -> minio(dir, logDir, port, accessKey, secretKey);
            case S3PROXY -> s3proxy(dir, logDir, port, accessKey, secretKey);
        };
        S3Server server = new S3Server(endpoint, process);
        try {
            process.start();
            server.awaitReady(readyTimeout);
            server.ensureBuckets(buckets);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        log.info("{} ready at {} with buckets {}", kind, endpoint.url(), buckets);
        return server;
    }

    public S3Endpoint endpoint() {
        return endpoint;
    }

    public ChildProcess process() {
        return process;
    }

    public void awaitReady(Duration timeout) {
        try (MinioClient client = endpoint.client()) {
            Await.until("S3 server at " + endpoint.url(), timeout, () -> {
                client.listBuckets();
                return true;
            }, List.of(process));
        } catch (Exception e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    /** Creates the buckets that are missing; existing buckets and their objects are kept. */
    private void ensureBuckets(Collection<String> buckets) {
        try (MinioClient client = endpoint.client()) {
            for (String bucket : buckets) {
                if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                    client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
                    log.info("created bucket {}", bucket);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create buckets " + buckets + " at " + endpoint.url() + ": " + e.getMessage(),
                    e);
        }
    }

    /** SIGTERM; the data stays for the next start. */
    public void stop() {
        process.stop(STOP_GRACE);
    }

    @Override
    public void close() {
        stop();
    }

    private static ChildProcess s3proxy(Path dir, Path logDir, int port, String accessKey, String secretKey) {
        Path data = dir.resolve("data");
        Path config = dir.resolve("s3proxy.conf");
        String properties = String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + accessKey,
                "s3proxy.credential=" + secretKey,
                // Browsers (the player, upload pages) talk to presigned URLs from other origins.
                "s3proxy.cors-allow-all=true",
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + data,
                "");
        // S3Proxy ships no logging configuration, and logback without one logs everything at DEBUG: hundreds of
        // megabytes, and CPU, within minutes of traffic.
        Path logging = dir.resolve("logback.xml");
        String loggingConfig = """
                <configuration>
                  <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{0} - %msg%n</pattern></encoder>
                  </appender>
                  <logger name="org.gaul.s3proxy" level="INFO"/>
                  <root level="WARN"><appender-ref ref="out"/></root>
                </configuration>
                """;
        try {
            Files.createDirectories(data);
            Files.writeString(config, properties);
            Files.writeString(logging, loggingConfig);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
        List<String> command = JavaCommand.of(RuntimeClasspath.s3proxy(),
                List.of("-Xms64m", "-Xmx384m", "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true",
                        "-Dlogback.configurationFile=" + logging),
                "org.gaul.s3proxy.Main", List.of("--properties", config.toString()));
        return new ChildProcess("s3proxy", command, Map.of(), dir, logDir.resolve("s3.log"));
    }

    private static ChildProcess minio(Path dir, Path logDir, int port, String accessKey, String secretKey) {
        // The console is not needed by Reel; it still needs a port, so it takes a free one.
        List<String> command = List.of(Executables.find("minio").orElseThrow().toString(), "server",
                dir.resolve("data").toString(),
                "--address", "127.0.0.1:" + port, "--console-address", "127.0.0.1:" + Ports.free(), "--quiet");
        return new ChildProcess("minio", command,
                Map.of("MINIO_ROOT_USER", accessKey, "MINIO_ROOT_PASSWORD", secretKey),
                dir, logDir.resolve("s3.log"));
    }
}
