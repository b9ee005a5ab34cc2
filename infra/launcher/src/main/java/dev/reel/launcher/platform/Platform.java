package dev.reel.launcher.platform;

import dev.reel.cluster.Await;
import dev.reel.cluster.ChildProcess;
import dev.reel.cluster.Executables;
import dev.reel.cluster.OwnThread;
import dev.reel.cluster.Ports;
import dev.reel.frontdoor.Backend;
import dev.reel.frontdoor.FrontDoor;
import dev.reel.frontdoor.HaproxyConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reel's services on one machine, on top of a running Kafka and S3: ingest, catalog-streams instances,
 * transcoder workers and edge servers as supervised child JVMs, and HAProxy in front of them. Started in
 * dependency order and waited for on their {@code /readyz}; stopped in reverse with SIGTERM so each drains.
 */
public final class Platform implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Platform.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    /** A transcoder finishes or releases its job within this; its stop grace leaves time to close after. */
    private static final String TRANSCODER_SHUTDOWN_GRACE = "20s";
    private static final Duration TRANSCODER_STOP_GRACE = Duration.ofSeconds(60);

    private final PlatformOptions options;
    private final List<ServiceProcess> services;
    private final ChildProcess haproxy;
    private volatile Supervisor supervisor;

    private Platform(PlatformOptions options, List<ServiceProcess> services, ChildProcess haproxy) {
        this.options = options;
        this.services = List.copyOf(services);
        this.haproxy = haproxy;
    }

    /**
     * @param infrastructure the Kafka nodes and the S3 server, supervised with the services once all is up (a
     *                       crashed broker comes back on its own data, as a process manager would bring it back)
     * @param sharedEnv      the settings every service gets: Kafka, S3, public URL, playback token key (API keys are
     *                       read by every service from {@code reel.keys})
     * @param webhooksEnv    what only the webhooks service gets (its secret key, the networks it may deliver to)
     */
    public static Platform start(Path repositoryRoot, Path runDir, PlatformOptions options, List<ChildProcess> infrastructure,
            Map<String, String> sharedEnv, Map<String, String> webhooksEnv, int replicationFactor, Duration readyTimeout) {
        List<ServiceProcess> services = new ArrayList<>();
        // More than one ingest: any instance continues any upload (its state is in the bucket), so one that restarts costs
        // a tus client nothing; the front door sends its requests to another meanwhile.
        for (int i = 1; i <= options.ingests(); i++) {
            services.add(service(ServiceModule.INGEST, "ingest-" + i, options.ingestPort(i), repositoryRoot, runDir, sharedEnv,
                    Map.of("REEL_INGEST_PORT", port(options.ingestPort(i)))));
        }
        services.add(service(ServiceModule.WEBHOOKS, "webhooks", options.webhooksPort(), repositoryRoot, runDir, sharedEnv,
                merge(webhooksEnv, Map.of("REEL_WEBHOOKS_PORT", port(options.webhooksPort())))));
        for (int i = 1; i <= options.catalogs(); i++) {
            String name = "catalog-" + i;
            services.add(service(ServiceModule.CATALOG, name, options.catalogPort(i), repositoryRoot, runDir, sharedEnv, Map.of(
                    "REEL_CATALOG_PORT", port(options.catalogPort(i)),
                    "REEL_CATALOG_INTERNAL_PORT", port(options.catalogInternalPort(i)),
                    "REEL_CATALOG_STATE_DIR", runDir.resolve("catalog").resolve(name).toString(),
                    "REEL_CATALOG_REPLICATION_FACTOR", Integer.toString(replicationFactor))));
        }
        for (int i = 1; i <= options.transcoders(); i++) {
            String name = "transcoder-" + i;
            services.add(service(ServiceModule.TRANSCODER, name, options.transcoderPort(i), repositoryRoot, runDir, sharedEnv,
                    Map.of(
                            "REEL_TRANSCODER_PORT", port(options.transcoderPort(i)),
                            "REEL_TRANSCODER_SCRATCH_DIR", runDir.resolve("transcoder").resolve(name).toString(),
                            "REEL_TRANSCODER_SHUTDOWN_GRACE", TRANSCODER_SHUTDOWN_GRACE,
                            // every service shares this machine: x264 one thread per rung (a chunk task already encodes
                            // its rungs side by side), not one per core each, which would outweigh the services and a
                            // viewer's browser even at the encodes' lower priority
                            "REEL_TRANSCODER_FFMPEG_THREADS", "1")));
        }
        for (int i = 1; i <= options.analytics(); i++) {
            String name = "analytics-" + i;
            services.add(service(ServiceModule.ANALYTICS, name, options.analyticsPort(i), repositoryRoot, runDir, sharedEnv,
                    Map.of(
                            "REEL_ANALYTICS_PORT", port(options.analyticsPort(i)),
                            "REEL_ANALYTICS_INTERNAL_PORT", port(options.analyticsInternalPort(i)),
                            "REEL_ANALYTICS_STATE_DIR", runDir.resolve("analytics").resolve(name).toString(),
                            "REEL_ANALYTICS_REPLICATION_FACTOR", Integer.toString(replicationFactor))));
        }
        for (int i = 1; i <= options.edges(); i++) {
            services.add(service(ServiceModule.EDGE, "edge-" + i, options.edgePort(i), repositoryRoot, runDir, sharedEnv,
                    Map.of("REEL_EDGE_PORT", port(options.edgePort(i)))));
        }
        services.forEach(s -> Ports.requireFree(s.port(), s.name()));
        for (int i = 1; i <= options.catalogs(); i++) {
            Ports.requireFree(options.catalogInternalPort(i), "catalog-" + i + " internal API");
        }
        for (int i = 1; i <= options.analytics(); i++) {
            Ports.requireFree(options.analyticsInternalPort(i), "analytics-" + i + " internal API");
        }
        Ports.requireFree(options.frontDoorPort(), "front door (HAProxy)");
        Ports.requireFree(options.statsPort(), "HAProxy stats");

        ChildProcess haproxy = haproxy(runDir, options, services);
        Platform platform = new Platform(options, services, haproxy);
        try {
            services.forEach(ServiceProcess::start);
            CompletableFuture.allOf(services.stream()
                    .map(s -> CompletableFuture.runAsync(() -> s.awaitReady(readyTimeout), OwnThread.named("await-" + s.name())))
                    .toArray(CompletableFuture[]::new)).join();
            haproxy.start();
            Await.until("the front door at :" + options.frontDoorPort(), readyTimeout,
                    () -> ServiceProcess.answersReady(options.frontDoorPort()), List.of(haproxy));
            // Supervised only once up: a process that dies from now on is a crash to recover from.
            platform.supervisor = new Supervisor(
                    Stream.of(infrastructure.stream(), services.stream().map(ServiceProcess::process),
                            Stream.of(haproxy)).flatMap(s -> s).toList());
        } catch (RuntimeException e) {
            platform.close();
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        log.info("platform up: {} service process(es) behind the front door at :{}", services.size(), options.frontDoorPort());
        return platform;
    }

    public String frontDoorUrl() {
        return "http://127.0.0.1:" + options.frontDoorPort();
    }

    /** Name, port and log of every process, for the summary and {@code reel status}. */
    public List<ProcessInfo> processes() {
        List<ProcessInfo> info = new ArrayList<>();
        services.forEach(s -> info.add(new ProcessInfo(s.name(), s.port(), s.process().logFile())));
        info.add(new ProcessInfo("haproxy", options.frontDoorPort(), haproxy.logFile()));
        return info;
    }

    /** A line of the platform's process table. */
    public record ProcessInfo(String name, int port, Path log) {
    }

    @Override
    public void close() {
        if (supervisor != null) {
            supervisor.close();
        }
        haproxy.stop(Duration.ofSeconds(5));
        // Reverse order: the front door first, then what serves viewers, then what feeds them.
        stopAll(Set.of(ServiceModule.EDGE));
        stopAll(Set.of(ServiceModule.INGEST, ServiceModule.TRANSCODER, ServiceModule.WEBHOOKS));
        stopAll(Set.of(ServiceModule.CATALOG, ServiceModule.ANALYTICS));
    }

    private void stopAll(Set<ServiceModule> modules) {
        CompletableFuture.allOf(services.stream().filter(s -> modules.contains(s.module()))
                .map(s -> CompletableFuture.runAsync(() -> s.process().stop(
                        s.module() == ServiceModule.TRANSCODER ? TRANSCODER_STOP_GRACE : STOP_GRACE),
                        OwnThread.named("stop-" + s.name())))
                .toArray(CompletableFuture[]::new)).join();
    }

    private static ServiceProcess service(ServiceModule module, String name, int port, Path repositoryRoot, Path runDir,
            Map<String, String> sharedEnv, Map<String, String> ownEnv) {
        Map<String, String> env = merge(sharedEnv, ownEnv);
        env.put("REEL_INSTANCE_ID", name);
        env.put("REEL_BIND_HOST", "127.0.0.1");
        return ServiceProcess.of(module, name, port, repositoryRoot, runDir, env);
    }

    private static ChildProcess haproxy(Path runDir, PlatformOptions options, List<ServiceProcess> services) {
        Path haproxy = Executables.find("haproxy").orElseThrow(() -> new IllegalStateException(
                "haproxy is not installed: apt-get install haproxy (infra/up does it when it can)"));
        FrontDoor door = new FrontDoor("127.0.0.1", options.frontDoorPort(),
                backends(services, ServiceModule.EDGE), backends(services, ServiceModule.INGEST),
                backends(services, ServiceModule.CATALOG), backends(services, ServiceModule.ANALYTICS),
                backends(services, ServiceModule.WEBHOOKS), options.statsPort());
        Path config = runDir.resolve("haproxy").resolve("haproxy.cfg");
        try {
            Files.createDirectories(config.getParent());
            Files.writeString(config, HaproxyConfig.render(door));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
        return new ChildProcess("haproxy", List.of(haproxy.toString(), "-f", config.toString(), "-db"), Map.of(),
                config.getParent(), runDir.resolve("logs").resolve("haproxy.log"));
    }

    private static List<Backend> backends(List<ServiceProcess> services, ServiceModule module) {
        return services.stream().filter(s -> s.module() == module)
                .map(s -> new Backend(s.name(), "127.0.0.1", s.port())).toList();
    }

    private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
        Map<String, String> merged = new HashMap<>(a);
        merged.putAll(b);
        return merged;
    }

    private static String port(int port) {
        return Integer.toString(port);
    }
}
