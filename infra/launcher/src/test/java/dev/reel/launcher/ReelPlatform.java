package dev.reel.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.cluster.Await;
import dev.reel.cluster.Ports;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code reel up} run as a user runs it, for tests: a separate JVM whose children are the brokers, the S3 server, the
 * services and HAProxy. The test finds those children through {@code /proc} (command line and environment) to hurt
 * them. Used by the end-to-end suite in {@code infra/e2e} (this module's test jar), which also checks {@code reel up}'s
 * own output, {@code reel status}, {@code reel tail} and {@code reel keys} against the one platform it starts.
 */
public final class ReelPlatform implements AutoCloseable {

    private static final int KAFKA_OFFSET = 85;
    private static final int S3_OFFSET = 95;

    private final Path runDir;
    private final List<String> upArguments;
    private final int frontDoorPort;
    private Process process;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());

    private ReelPlatform(Path runDir, List<String> upArguments, int frontDoorPort) {
        this.runDir = runDir;
        this.upArguments = upArguments;
        this.frontDoorPort = frontDoorPort;
    }

    /** Starts {@code reel up} on free ports with the given topology options (e.g. {@code --brokers 3}). */
    public static ReelPlatform start(Path runDir, String... topology) throws Exception {
        int frontDoor = freePortBlock();
        // Kafka's and S3's ports from the same block: an ephemeral port the OS handed out is free, but the ports the
        // launcher derives from it (each broker's controller on the next) may belong to someone's connection
        List<String> arguments = new ArrayList<>(List.of("up", "--run-dir", runDir.toString(),
                "--kafka-port", Integer.toString(frontDoor + KAFKA_OFFSET), "--s3-port", Integer.toString(frontDoor + S3_OFFSET),
                "--port", Integer.toString(frontDoor), "--no-sample"));
        arguments.addAll(List.of(topology));
        ReelPlatform platform = new ReelPlatform(runDir, List.copyOf(arguments), frontDoor);
        platform.launch();
        return platform;
    }

    private void launch() throws Exception {
        output.clear();
        ProcessBuilder builder = new ProcessBuilder(javaCommand(upArguments)).redirectErrorStream(true);
        process = builder.start();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Process launched = process;
        // Reads to the end, so the child never blocks on a full pipe; ready on the summary's last line.
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(launched.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    output.add(line);
                    if (line.startsWith("Ctrl-C stops everything")) {
                        ready.complete(null);
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(
                    new IllegalStateException("reel up ended before it was up:\n" + String.join("\n", output)));
        }, "reel-up-output");
        reader.setDaemon(true);
        reader.start();
        try {
            ready.get(5, TimeUnit.MINUTES);
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /** After {@link #stop}: the same {@code reel up} command again, on the same run folder and ports. */
    public void startAgain() throws Exception {
        launch();
    }

    public void stop() throws Exception {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("reel up exits after SIGTERM").isTrue();
        for (ProcessHandle child : children) {
            assertThat(child.onExit().get(30, TimeUnit.SECONDS).isAlive()).as("child %s stopped", describe(child)).isFalse();
        }
    }

    /**
     * {@code kill -9} of {@code reel up} itself (no shutdown hook runs); returns how long until none of its children
     * was left, or fails after {@code within}.
     */
    public Duration killLauncherAndAwaitNoChildren(Duration within) throws Exception {
        List<ProcessHandle> children = process.descendants().toList();
        assertThat(children).as("reel up has children to lose").isNotEmpty();
        long killedAt = System.nanoTime();
        process.destroyForcibly();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        long deadline = killedAt + within.toNanos();
        while (children.stream().anyMatch(ProcessHandle::isAlive)) {
            assertThat(System.nanoTime()).as("children still running %s after the launcher's kill -9: %s", within,
                    children.stream().filter(ProcessHandle::isAlive).map(ReelPlatform::describe).toList())
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
        return Duration.ofNanos(System.nanoTime() - killedAt);
    }

    /** A failed assertion must not leave a platform running: SIGTERM, then SIGKILL whatever is left. */
    @Override
    public void close() throws Exception {
        if (process == null) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    /** The run folder {@code reel up} was given. */
    public Path runDir() {
        return runDir;
    }

    public String frontDoor() {
        return "http://127.0.0.1:" + frontDoorPort;
    }

    public int frontDoorPort() {
        return frontDoorPort;
    }

    public String output() {
        return String.join("\n", output);
    }

    public String apiKey() throws IOException {
        return properties("secrets.properties").getProperty("api.key");
    }

    /** What a Kafka client needs, from the run folder's reel.env (as a user would source it). */
    public String bootstrapServers() throws IOException {
        return clientEnv().getProperty("REEL_KAFKA_BOOTSTRAP_SERVERS");
    }

    /** The run folder's reel.env: what a service or tool needs to reach this platform's Kafka and S3. */
    public Properties clientEnv() throws IOException {
        return properties("reel.env");
    }

    /** The port {@code reel up} gave a process ({@code edge-1}, {@code catalog-2}, {@code ingest}, {@code haproxy}). */
    public int port(String process) throws IOException {
        return Integer.parseInt(properties(StatusCommand.STATE_FILE).getProperty("process." + process + ".port"));
    }

    /** kill -9 one service instance; returns the time until the supervisor's restart of it answers /readyz. */
    public Duration killAndAwaitRestart(String instance) throws Exception {
        ProcessHandle victim = service(instance);
        long killedAt = System.nanoTime();
        victim.destroyForcibly();
        victim.onExit().get(30, TimeUnit.SECONDS);
        awaitRestarted(victim, instance);
        return Duration.ofNanos(System.nanoTime() - killedAt);
    }

    /** Waits until a new process of the killed instance, started by the supervisor, answers /readyz. */
    public void awaitRestarted(ProcessHandle killed, String instance) throws IOException {
        int port = port(instance);
        Await.until(instance + " restarted by the supervisor and ready", Duration.ofMinutes(3),
                () -> findChild(p -> p.pid() != killed.pid() && instance.equals(environment(p).getProperty("REEL_INSTANCE_ID")))
                        .isPresent()
                        && ready(port),
                List.of());
    }

    private static boolean ready(int port) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Properties properties(String file) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(runDir.resolve(file))) {
            properties.load(in);
        }
        return properties;
    }

    /** A service instance by name ({@code transcoder-1}, {@code catalog-2}, {@code edge-1}, {@code ingest}). */
    public ProcessHandle service(String instance) {
        return child(p -> instance.equals(environment(p).getProperty("REEL_INSTANCE_ID")), instance);
    }

    /** Kafka node {@code n} (1-based), found by its node folder on the command line. */
    public ProcessHandle broker(int node) {
        String config = "/kafka/node-" + node + "/server.properties";
        return child(p -> commandLine(p).contains("kafka.Kafka") && commandLine(p).contains(config), "kafka node " + node);
    }

    /** S3Proxy (by its main class) or a minio binary; not a service, whose classpath names minio-java. */
    public ProcessHandle storageServer() {
        return child(p -> commandLine(p).contains("org.gaul.s3proxy.Main") || commandLine(p).matches("\\S*minio server .*"),
                "the S3 server");
    }

    public List<ProcessHandle> children() {
        return process.children().toList();
    }

    private ProcessHandle child(Predicate<ProcessHandle> matches, String what) {
        return findChild(matches).orElseThrow(() -> new AssertionError(what + " is not running under reel up"));
    }

    public Optional<ProcessHandle> findChild(Predicate<ProcessHandle> matches) {
        return process.children().filter(ProcessHandle::isAlive).filter(matches).findFirst();
    }

    /** Read from /proc: ProcessHandle.Info leaves out a command line as long as a service's classpath. */
    public static String commandLine(ProcessHandle process) {
        return readProc(process, "cmdline").replace('\0', ' ');
    }

    public static Properties environment(ProcessHandle process) {
        Properties env = new Properties();
        for (String entry : readProc(process, "environ").split("\0")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                env.setProperty(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return env;
    }

    public static String describe(ProcessHandle process) {
        String instance = environment(process).getProperty("REEL_INSTANCE_ID");
        return process.pid() + (instance == null ? "" : " (" + instance + ")");
    }

    private static String readProc(ProcessHandle process, String file) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(process.pid()), file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return ""; // the process is gone
        }
    }

    public static List<String> javaCommand(List<String> args) {
        // reel.home: the repository root, where `reel up` finds the services' build output.
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dreel.home=" + Path.of(System.getProperty("reel.home", "../..")).toAbsolutePath().normalize(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        return command;
    }

    /**
     * A front door port whose block of 100 ports is free, below the ephemeral range: the services' ports (see
     * PlatformOptions, at most +80), Kafka's (+{@value #KAFKA_OFFSET}, two per broker) and S3's (+{@value #S3_OFFSET}).
     */
    private static int freePortBlock() {
        Random random = new Random();
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 20_000 + 100 * random.nextInt(100);
            try {
                for (int offset = 0; offset < 100; offset++) {
                    Ports.requireFree(base + offset, "test");
                }
                return base;
            } catch (Ports.PortInUseException taken) {
                // try another block
            }
        }
        throw new IllegalStateException("no free block of ports found");
    }
}
