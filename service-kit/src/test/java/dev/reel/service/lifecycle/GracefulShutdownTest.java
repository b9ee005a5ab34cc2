package dev.reel.service.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GracefulShutdownTest {

    @Test
    void stepsRunOnceInOrderAndAFailureSkipsNothing() {
        List<String> ran = new ArrayList<>();
        GracefulShutdown shutdown = new GracefulShutdown("test")
                .then("stop http", () -> ran.add("http"))
                .then("drain", () -> {
                    ran.add("drain");
                    throw new IllegalStateException("boom");
                })
                .then("close producer", () -> ran.add("producer"));

        shutdown.run();
        shutdown.run();

        assertThat(ran).containsExactly("http", "drain", "producer");
    }
}
