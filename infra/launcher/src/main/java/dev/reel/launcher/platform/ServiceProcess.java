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

/** One running instance of a service: its module, its child process, and the port whose {@code /readyz} says it is ready. */
record ServiceProcess(ServiceModule module, ChildProcess process, int port) {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Instance {@code name} of {@code module}: it works in {@code runDir/work/<name>} and logs to {@code runDir/logs}. */
    static ServiceProcess of(ServiceModule module, String name, int port, Path repositoryRoot, Path runDir,
            Map<String, String> env) {
        return new ServiceProcess(module, new ChildProcess(name, module.command(repositoryRoot), env,
                runDir.resolve("work").resolve(name), runDir.resolve("logs").resolve(name + ".log")), port);
    }

    String name() {
        return process.name();
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
