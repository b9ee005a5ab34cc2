package dev.reel.service.kafka;

import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;

/** Puts a consumer back at its committed offsets, to redo what it read but did not commit after a failure. */
public final class Rewind {

    private Rewind() {
    }

    /** Seeks every assigned partition to its committed offset, or to its beginning when nothing was committed. */
    public static void toCommitted(Consumer<?, ?> consumer) {
        var committed = consumer.committed(consumer.assignment());
        for (var partition : consumer.assignment()) {
            var offset = committed.get(partition);
            if (offset != null) {
                consumer.seek(partition, offset);
            } else {
                consumer.seekToBeginning(List.of(partition));
            }
        }
    }
}
