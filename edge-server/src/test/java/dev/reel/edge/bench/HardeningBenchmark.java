package dev.reel.edge.bench;

import dev.reel.cluster.Await;
import dev.reel.cluster.ChildProcess;
import dev.reel.cluster.LocalCluster;
import dev.reel.cluster.Ports;
import dev.reel.events.Visibility;
import dev.reel.events.topics.TopicBootstrap;
import dev.reel.events.topics.Topics;
import dev.reel.service.auth.PlaybackTokens;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The cost of the edge's hardening on its cache-hit path, in one run: the same edge build started twice, hardened (the
 * default: security headers, body limit; the visibility check) and with {@code REEL_EDGE_HARDENING=off} (the
 * baseline), both warm, wrk alternating between them; plus the hardened edge serving a private video, where every
 * request carries a playback token whose HMAC is checked. 64 segments of 1 MiB, as {@link ThroughputBenchmark}.
 *
 * <pre>infra/mvn -B -q -pl edge-server -am install -DskipTests
 * infra/mvn -B -q -pl edge-server exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.reel.edge.bench.HardeningBenchmark \
 *     [-Dexec.args="repetitions seconds connections"]</pre>
 */
public final class HardeningBenchmark {

    private static final String TOKEN_KEY = "hardening-benchmark-token-key-0123456789";

    private HardeningBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int repetitions = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        Path moduleDir = Path.of(HardeningBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .getParent().getParent();
        Path runDir = Files.createTempDirectory(Files.createDirectories(moduleDir.resolve("target")), "hardening-bench-");
        List<ChildProcess> edges = new ArrayList<>();
        try (LocalCluster cluster = LocalCluster.start(LocalCluster.Options.forTests(runDir.resolve("cluster"), 1))) {
            try {
                try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
                    new TopicBootstrap(admin, 1).ensure(Topics.all());
                }
                List<String> publicPaths = ThroughputBenchmark.writeSegments(cluster, runDir.resolve("www"), "benchPublic01");
                List<String> privatePaths = ThroughputBenchmark.writeSegments(cluster, runDir.resolve("www"), "benchPrivate01");
                ThroughputBenchmark.publish(cluster.bootstrapServers(), "benchPublic01");
                ThroughputBenchmark.publish(cluster.bootstrapServers(), "benchPrivate01", Visibility.PRIVATE);
                String token = new PlaybackTokens(TOKEN_KEY.getBytes(StandardCharsets.UTF_8)).mint("benchPrivate01",
                        Instant.now().plus(Duration.ofDays(1)));
                List<String> tokenPaths = privatePaths.stream().map(p -> p + "?token=" + token).toList();

                Map<String, String> bases = new LinkedHashMap<>();
                for (String mode : List.of("on", "off")) {
                    int port = Ports.free();
                    Map<String, String> env = ThroughputBenchmark.edgeEnvironment(cluster, port);
                    env.put("REEL_INSTANCE_ID", "bench-edge-" + mode);
                    env.put("REEL_EDGE_HARDENING", mode);
                    env.put("REEL_PLAYBACK_TOKEN_KEY", TOKEN_KEY);
                    ChildProcess edge = new ChildProcess("edge-" + mode,
                            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-cp",
                                    moduleDir.resolve("target/classes") + ":"
                                            + Files.readString(moduleDir.resolve("target/service.classpath")).strip(),
                                    "dev.reel.edge.Main"),
                            env, runDir, runDir.resolve("edge-" + mode + ".log"));
                    edges.add(edge);
                    edge.start();
                    bases.put(mode, "http://127.0.0.1:" + port);
                }
                HttpClient http = HttpClient.newHttpClient();
                for (String base : bases.values()) {
                    Await.until(base + " ready", Duration.ofMinutes(2),
                            () -> ThroughputBenchmark.status(http, base + "/readyz") == 200
                                    && ThroughputBenchmark.status(http, base + publicPaths.get(0)) == 200,
                            edges);
                    for (String path : publicPaths) {
                        ThroughputBenchmark.status(http, base + path);
                    }
                }
                for (String path : tokenPaths) {
                    if (ThroughputBenchmark.status(http, bases.get("on") + path) != 200) {
                        throw new IllegalStateException("the private segment did not open with its token: " + path);
                    }
                }
                Path publicScript = ThroughputBenchmark.writeWrkScript(Files.createDirectories(runDir.resolve("public")),
                        publicPaths);
                Path privateScript = ThroughputBenchmark.writeWrkScript(Files.createDirectories(runDir.resolve("private")),
                        tokenPaths);
                // One discarded run each, so each edge's JIT has compiled the serving path before measurements.
                ThroughputBenchmark.wrk(publicScript, bases.get("on"), seconds, connections);
                ThroughputBenchmark.wrk(publicScript, bases.get("off"), seconds, connections);
                ThroughputBenchmark.wrk(privateScript, bases.get("on"), seconds, connections);
                List<Double> hardened = new ArrayList<>();
                List<Double> baseline = new ArrayList<>();
                List<Double> withToken = new ArrayList<>();
                for (int r = 1; r <= repetitions; r++) {
                    hardened.add(ThroughputBenchmark.wrk(publicScript, bases.get("on"), seconds, connections));
                    baseline.add(ThroughputBenchmark.wrk(publicScript, bases.get("off"), seconds, connections));
                    withToken.add(ThroughputBenchmark.wrk(privateScript, bases.get("on"), seconds, connections));
                    System.out.printf(Locale.ROOT, "rep %d: hardened %.0f, baseline %.0f, private+token %.0f req/s%n", r,
                            hardened.getLast(), baseline.getLast(), withToken.getLast());
                }
                double on = ThroughputBenchmark.median(hardened);
                double off = ThroughputBenchmark.median(baseline);
                double tokenRate = ThroughputBenchmark.median(withToken);
                System.out.printf(Locale.ROOT, "wrk -t2 -c%d -d%ds, 64 x 1 MiB segments, warm caches, median of %d:%n",
                        connections, seconds, repetitions);
                System.out.printf(Locale.ROOT, "baseline (hardening off)       %8.0f req/s%n", off);
                System.out.printf(Locale.ROOT, "hardened, public video         %8.0f req/s  cost %.3fx%n", on, off / on);
                System.out.printf(Locale.ROOT, "hardened, private + token      %8.0f req/s  cost %.3fx%n", tokenRate,
                        off / tokenRate);
            } finally {
                edges.forEach(p -> p.stop(Duration.ofSeconds(20)));
            }
        }
    }
}
