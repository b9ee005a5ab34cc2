package dev.reel.catalog.it;

import dev.reel.catalog.Main;
import dev.reel.cluster.Await;
import dev.reel.cluster.ChildProcess;
import dev.reel.cluster.JavaCommand;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One catalog-streams instance as a child JVM started from the test classpath, with its own port and state
 * folder; it keeps both across restarts, as a real instance on a real host would.
 */
final class CatalogProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final ChildProcess process;
    private final int port;
    private final int internalPort;

    CatalogProcess(String name, int port, int internalPort, String bootstrapServers, String applicationId, Path workDir,
            Map<String, String> extraEnv) {
        this.port = port;
        this.internalPort = internalPort;
        Map<String, String> env = new HashMap<>();
        env.put("REEL_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        env.put("REEL_INSTANCE_ID", name);
        env.put("REEL_CATALOG_PORT", Integer.toString(port));
        env.put("REEL_CATALOG_INTERNAL_PORT", Integer.toString(internalPort));
        env.put("REEL_CATALOG_APPLICATION_ID", applicationId);
        env.put("REEL_CATALOG_STATE_DIR", workDir.resolve("state").toString());
        // Short enough that a killed instance's partitions move within seconds in a test.
        env.put("REEL_CATALOG_SESSION_TIMEOUT", "6s");
        env.putAll(extraEnv);
        List<String> command = List.of(JavaCommand.javaExecutable().toString(), "-Xmx384m",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName());
        this.process = new ChildProcess(name, command, env, workDir, workDir.resolve(name + ".log"));
    }

    String name() {
        return process.name();
    }

    /** Its internal address ({@code application.server}), which {@code Reel-Served-By} names. */
    String hostAndPort() {
        return "127.0.0.1:" + internalPort;
    }

    void start() {
        process.start();
    }

    void awaitReady(Duration timeout) {
        Await.until(name() + " /readyz", timeout, () -> get("/readyz").statusCode() == 200, List.of(process));
    }

    void kill() {
        process.kill();
    }

    /** SIGTERM; true when the process ended on its own within the grace period. */
    boolean stop() {
        return process.stop(Duration.ofSeconds(30));
    }

    boolean isAlive() {
        return process.isAlive();
    }

    java.nio.file.Path logFile() {
        return process.logFile();
    }

    String logTail() {
        return process.logTail(60);
    }

    /** A GET of the public API. */
    HttpResponse<String> get(String pathAndQuery) throws Exception {
        return get(port, pathAndQuery, null);
    }

    /** A GET of the public API with an API key. */
    HttpResponse<String> get(String pathAndQuery, String apiKey) throws Exception {
        return get(port, pathAndQuery, apiKey);
    }

    /** A GET of the internal (instance-to-instance) API. */
    HttpResponse<String> getInternal(String pathAndQuery) throws Exception {
        return get(internalPort, pathAndQuery, null);
    }

    private static HttpResponse<String> get(int port, String pathAndQuery, String apiKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).GET();
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
