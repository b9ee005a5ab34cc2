package dev.reel.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.cluster.Await;
import dev.reel.cluster.Ports;
import dev.reel.events.topics.Topics;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reel up} as a user runs it: a separate JVM that starts the real parts, creates the topics, prints
 * where they are, and on SIGTERM stops every child process; started again, it finds its data.
 */
class ReelUpIT {

    @TempDir
    Path runDir;

    private final List<Process> launched = new ArrayList<>();

    /** A failed assertion must not leave a platform running: SIGTERM what is still up, then kill what remains. */
    @AfterEach
    void stopWhatIsLeft() throws Exception {
        for (Process process : launched) {
            List<ProcessHandle> children = process.descendants().toList();
            process.destroy();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void startsThePlatformSupervisesItStopsCleanlyAndRestartsOnItsData() throws Exception {
        int kafkaPort = Ports.free();
        int s3Port = Ports.free();
        int frontDoor = freePortBlock();

        Launched first = launch(kafkaPort, s3Port, frontDoor);
        assertThat(first.output()).contains("Reel is up", "127.0.0.1:" + kafkaPort, "http://127.0.0.1:" + s3Port, "(created 6)",
                "Library   http://127.0.0.1:" + frontDoor + "/", "API key");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafkaPort))) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .containsAll(Topics.all().stream().map(t -> t.name()).toList());
        }
        assertThat(Files.readString(runDir.resolve("reel.env"))).contains("REEL_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:" + kafkaPort);
        // The front door routes the library to the edges and the catalog API to catalog-streams.
        assertThat(get(frontDoor, "/").statusCode()).isEqualTo(200);
        assertThat(get(frontDoor, "/api/catalog/videos").body()).contains("\"videos\"");
        assertThat(run("status", "--run-dir", runDir.toString())).as("reel status with every process ready").isZero();
        assertThat(tailShows(kafkaPort)).matches("\\d+@0 \\S+ .*").endsWith(" video-1 {\"hello\":\"analytics\"}");

        // A crashed service is restarted by the launcher's supervisor.
        ProcessHandle edge = first.process().descendants().filter(ReelUpIT::isEdge).findFirst().orElseThrow();
        edge.destroyForcibly();
        assertThat(edge.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
        Await.until("the edge restarted by the supervisor", Duration.ofMinutes(2), () -> first.process().descendants()
                .anyMatch(p -> p.pid() != edge.pid() && isEdge(p))
                && get(frontDoor + 31, "/readyz").statusCode() == 200, List.of());
        first.stopAndAssertNoChildLeft();

        Launched second = launch(kafkaPort, s3Port, frontDoor);
        assertThat(second.output()).contains("Reel is up").doesNotContain("(created").doesNotContain("DRIFT");
        second.stopAndAssertNoChildLeft();
    }

    /** Read from /proc: ProcessHandle.Info leaves out a command line as long as a service's classpath. */
    private static boolean isEdge(ProcessHandle process) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline")).contains("dev.reel.edge.Main");
        } catch (java.io.IOException e) {
            return false; // the process is gone
        }
    }

    /** A front door port whose service ports (see PlatformOptions) are free too, below the ephemeral range. */
    private static int freePortBlock() {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 20_000 + 100 * random.nextInt(100);
            try {
                for (int offset : new int[] {0, 4, 10, 21, 31, 41}) {
                    Ports.requireFree(base + offset, "test");
                }
                return base;
            } catch (Ports.PortInUseException taken) {
                // try another block
            }
        }
        throw new IllegalStateException("no free block of ports found");
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int run(String... args) throws Exception {
        Process process = new ProcessBuilder(javaCommand(args)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return process.exitValue();
    }

    /** `reel tail dlq --from-beginning`, pointed at the cluster by the run folder's reel.env, prints what was written. */
    private String tailShows(int kafkaPort) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafkaPort, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.DLQ, null, "video-1", "{\"hello\":\"analytics\"}")).get(30, TimeUnit.SECONDS);
        }
        Process tail = new ProcessBuilder(javaCommand("tail", "dlq", "--from-beginning", "--run-dir", runDir.toString()))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(tail.getInputStream(), StandardCharsets.UTF_8))) {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).get(2, TimeUnit.MINUTES);
        } finally {
            tail.destroy();
            assertThat(tail.waitFor(30, TimeUnit.SECONDS)).as("reel tail stops on SIGTERM").isTrue();
        }
    }

    private static List<String> javaCommand(String... args) {
        // reel.home: the repository root, where `reel up` finds the services' build output.
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dreel.home=" + Path.of("../..").toAbsolutePath().normalize(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    private Launched launch(int kafkaPort, int s3Port, int frontDoor) throws Exception {
        Process process = new ProcessBuilder(javaCommand("up", "--run-dir", runDir.toString(),
                "--kafka-port", Integer.toString(kafkaPort), "--s3-port", Integer.toString(s3Port), "--port", Integer.toString(frontDoor),
                "--catalogs", "1", "--edges", "1", "--transcoders", "1", "--no-sample"))
                .redirectErrorStream(true)
                .start();
        launched.add(process);
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> ready = new CompletableFuture<>();
        // Reads to the end, so the child never blocks on a full pipe; "ready" on the summary's last line.
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                    if (line.startsWith("Ctrl-C stops everything")) {
                        ready.complete(null);
                    }
                }
            } catch (java.io.IOException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IllegalStateException("reel up ended before it was up:\n" + String.join("\n", lines)));
        }, "reel-up-output");
        reader.setDaemon(true);
        reader.start();
        try {
            ready.get(3, TimeUnit.MINUTES);
        } catch (Exception e) {
            process.destroyForcibly();
            throw e;
        }
        return new Launched(process, String.join("\n", lines));
    }

    private record Launched(Process process, String output) {
        void stopAndAssertNoChildLeft() throws Exception {
            List<ProcessHandle> children = process.descendants().toList();
            assertThat(children).as("kafka, s3, the services and haproxy").hasSizeGreaterThanOrEqualTo(7);
            process.destroy(); // SIGTERM, as systemd or Ctrl-C would
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("reel up exits after SIGTERM").isTrue();
            for (ProcessHandle child : children) {
                assertThat(child.onExit().get(10, TimeUnit.SECONDS).isAlive()).as("child " + child.pid()).isFalse();
            }
        }
    }
}
