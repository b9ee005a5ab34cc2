package dev.reel.service.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceRunnerTest {

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);

    @Test
    void aConfigurationThatCannotWorkEndsWithStatus2NamingEveryProblem() {
        List<String> started = new ArrayList<>();
        var result = ServiceRunner.start("svc", Map.of("REEL_PORT", "nope"), env -> {
            env.integer("REEL_PORT", 80, 1, 65535);
            env.required("REEL_TOKEN");
            env.validate();
            return "config";
        }, config -> {
            started.add(config);
            return () -> {
            };
        }, errStream);

        assertThat(result.exitStatus()).isEqualTo(ServiceRunner.CONFIG_ERROR);
        assertThat(started).as("nothing starts").isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("svc cannot start").contains("REEL_PORT must be an integer")
                .contains("REEL_TOKEN is required");
    }

    @Test
    void aStartThatFailsEndsWithStatus1() {
        var result = ServiceRunner.start("svc", Map.of(), env -> "config", config -> {
            throw new IllegalStateException("kafka is not there");
        }, errStream);

        assertThat(result.exitStatus()).isEqualTo(ServiceRunner.START_FAILED);
        assertThat(result.service()).isNull();
    }

    @Test
    void aStartedServiceRunsItsOrderedShutdownWhenStopped() {
        List<String> steps = new ArrayList<>();
        var result = ServiceRunner.start("svc", Map.of(), env -> "config", config -> new GracefulShutdown("svc")
                .then("http", () -> steps.add("http"))
                .then("kafka", () -> {
                    steps.add("kafka");
                    throw new IllegalStateException("already closed");
                })
                .then("storage", () -> steps.add("storage")), errStream);

        assertThat(result.exitStatus()).isZero();
        ServiceRunner.stop("svc", result.service());
        assertThat(steps).containsExactly("http", "kafka", "storage");
    }
}
