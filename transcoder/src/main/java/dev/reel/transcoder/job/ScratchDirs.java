package dev.reel.transcoder.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A job's scratch folder, deleted whatever happens to the job. */
final class ScratchDirs {

    private static final Logger log = LoggerFactory.getLogger(ScratchDirs.class);

    private ScratchDirs() {
    }

    /** Deletes a folder and everything in it; a failure is logged, not thrown (the job's outcome stands). */
    static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            log.warn("could not delete scratch folder {}: {}", dir, e.toString());
        }
    }
}
