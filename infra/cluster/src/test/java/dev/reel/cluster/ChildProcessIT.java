package dev.reel.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Children started with {@link ChildProcess} die with their parent JVM, even one killed with {@code kill -9}. */
class ChildProcessIT {

    @TempDir
    Path dir;

    @Test
    void aChildDoesNotOutliveItsParentKilledWithSigkill() throws Exception {
        Process parent = new ProcessBuilder(JavaCommand.javaExecutable().toString(), "-cp",
                System.getProperty("java.class.path"), OrphanParent.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        long childPid;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = out.readLine();
                assertThat(line).as("the parent printed its child's pid").isNotNull();
            } while (!line.startsWith("child "));
            childPid = Long.parseLong(line.substring("child ".length()).strip());
            Thread.sleep(1_500); // the thread that asked for the start has ended by now: the child lives on
            Optional<ProcessHandle> child = ProcessHandle.of(childPid);
            assertThat(child).as("the child outlives the thread that started it").isPresent();
            assertThat(child.get().isAlive()).isTrue();

            parent.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertThat(parent.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        Await.until("the orphan gone", Duration.ofSeconds(10),
                () -> !ProcessHandle.of(childPid).map(ProcessHandle::isAlive).orElse(false), List.of());
    }
}
