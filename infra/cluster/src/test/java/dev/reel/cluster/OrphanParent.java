package dev.reel.cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A parent JVM for {@link ChildProcessIT}: starts {@code sleep 300} as a ChildProcess, prints its pid, and waits. */
public final class OrphanParent {

    private OrphanParent() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        ChildProcess child = new ChildProcess("sleeper", List.of("sleep", "300"), Map.of(), dir, dir.resolve("sleeper.log"));
        // Started from a pool thread that ends at once: the child must still live as long as this JVM.
        Thread starter = new Thread(child::start);
        starter.start();
        starter.join();
        System.out.println("child " + child.pid());
        System.out.flush();
        Thread.sleep(300_000);
    }
}
