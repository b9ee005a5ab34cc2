package dev.reel.catalog.topology;

import dev.reel.events.Envelope;
import dev.reel.events.VideoRecord;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Applies {@link VideoFold} to each event against the catalog store and forwards what {@code reel.catalog}
 * must show: the new record after every change, a tombstone when the video is deleted, nothing for a duplicate.
 */
final class VideoFoldProcessor implements Processor<String, Envelope<?>, String, VideoRecord> {

    private ProcessorContext<String, VideoRecord> context;
    private KeyValueStore<String, CatalogEntry> store;

    @Override
    public void init(ProcessorContext<String, VideoRecord> context) {
        this.context = context;
        this.store = context.getStateStore(CatalogTopology.VIDEOS_STORE);
    }

    @Override
    public void process(Record<String, Envelope<?>> record) {
        Envelope<?> event = record.value();
        if (event == null) {
            throw new IllegalArgumentException("a null value is not an event");
        }
        // The key decides the partition, and so which store instance holds the video: it must be the subject.
        if (!event.subject().equals(record.key())) {
            throw new IllegalArgumentException("record key '" + record.key() + "' is not the event's subject '"
                    + event.subject() + "'");
        }
        CatalogEntry before = store.get(event.subject());
        Optional<CatalogEntry> after = VideoFold.apply(before, event);
        if (after.isEmpty()) {
            return;
        }
        CatalogEntry entry = after.get();
        store.put(entry.videoId(), entry);
        Optional<VideoRecord> published = entry.record();
        if (published.isPresent()) {
            context.forward(record.withValue(published.get()));
        } else if (entry.deleted() && (before == null || !before.deleted())) {
            context.forward(record.withValue(null));
        }
    }
}
