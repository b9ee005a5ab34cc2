package dev.reel.launcher.platform;

import dev.reel.cluster.Await;
import dev.reel.cluster.ChildProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One running instance of a service: its child process and the {@code /readyz} that says it can take traffic. */
final class ServiceProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final ChildProcess process;
    private final int port;

    ServiceProcess(String name, List<String> command, Map<String, String> env, Path workDir, Path logDir, int port) {
        this.process = new ChildProcess(name, command, env, workDir, logDir.resolve(name + ".log"));
        this.port = port;
    }

    String name() {
        return process.name();
    }

    int port() {
        return port;
    }

    ChildProcess process() {
        return process;
    }

    void start() {
        process.start();
    }

    void awaitReady(Duration timeout) {
        Await.until(name() + " ready on :" + port, timeout, () -> answersReady(port), List.of(process));
    }

    /** Whether {@code GET /readyz} on this local port answers 200 (a service, or the front door routing it to an edge). */
    static boolean answersReady(int port) {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
