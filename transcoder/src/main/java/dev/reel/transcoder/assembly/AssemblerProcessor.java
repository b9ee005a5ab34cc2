package dev.reel.transcoder.assembly;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reel.events.Envelope;
import dev.reel.events.json.EventJson;
import dev.reel.events.serde.EventDeserializer;
import dev.reel.events.serde.EventSerializer;
import dev.reel.events.serde.MalformedEventException;
import dev.reel.events.topics.Topics;
import dev.reel.service.storage.ObjectStorage;
import dev.reel.transcoder.ops.TranscoderMetrics;
import dev.reel.transcoder.storage.MediaPlaylist;
import dev.reel.transcoder.storyboard.StoryboardStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link Assembly} over {@code reel.transcode}, one video per key: reads the video's state from the store, applies
 * the event, stores the playlists the step asks for, forwards its events (to {@code reel.transcode}) and keeps the new
 * state. Under exactly-once processing the events and the state commit together with the input's offset; playlists
 * are stored before the events that announce them, and a growing playlist never replaces a final one or a longer one,
 * so an event reprocessed after a crash stores nothing a viewer has not seen.
 */
final class AssemblerProcessor implements Processor<String, byte[], String, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(AssemblerProcessor.class);
    private static final String PLAYLIST_TYPE = "application/vnd.apple.mpegurl";

    private final Assembly assembly;
    private final ObjectStorage storage;
    private final TranscoderMetrics metrics;
    private final String source;
    private final StoryboardStore storyboards;
    private final EventDeserializer deserializer = new EventDeserializer();
    private final EventSerializer serializer = new EventSerializer();
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, byte[]> store;

    /** @param source the CloudEvents {@code source} of the events it writes */
    AssemblerProcessor(Assembly assembly, ObjectStorage storage, TranscoderMetrics metrics, String source) {
        this.assembly = assembly;
        this.storage = storage;
        this.metrics = metrics;
        this.source = source;
        this.storyboards = new StoryboardStore(storage, metrics::bytesWritten);
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.store = context.getStateStore(AssemblerTopology.STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        Envelope<?> event;
        try {
            event = deserializer.deserialize(Topics.TRANSCODE, record.value());
        } catch (MalformedEventException e) {
            // catalog-streams dead-letters what nobody can read; the assembler only passes it by
            log.debug("not an event the assembler reads at {}: {}", record.key(), e.getMessage());
            return;
        }
        if (event == null) {
            return;
        }
        AssemblyState state = read(store.get(record.key()));
        Assembly.Step step = assembly.apply(state, event, Instant.now());
        for (Assembly.Action action : step.actions()) {
            switch (action) {
                case Assembly.StorePlaylist playlist -> store(playlist);
                case Assembly.ComposeStoryboard storyboard -> compose(storyboard);
                case Assembly.Publish publish -> {
                    Envelope<?> out = Envelope.of(source, publish.event());
                    context.forward(record.withValue(serializer.serialize(Topics.TRANSCODE, out))
                            .withTimestamp(System.currentTimeMillis()));
                    metrics.assembled(AssemblerTopology.describe(publish.event()));
                }
            }
        }
        if (!step.state().equals(state)) {
            store.put(record.key(), write(step.state()));
        }
    }

    /** Stores a playlist; a growing one only over a shorter growing one (never over a final one). */
    private void store(Assembly.StorePlaylist playlist) {
        try {
            if (!playlist.complete()) {
                Optional<String> stored = storage.readText(playlist.key());
                if (stored.isPresent()) {
                    MediaPlaylist current = MediaPlaylist.parse(stored.get());
                    if (current.complete() || current.segments().size() >= playlist.segments()) {
                        return;
                    }
                }
            }
            storage.put(playlist.key(), playlist.text().getBytes(StandardCharsets.UTF_8), PLAYLIST_TYPE);
            metrics.bytesWritten(playlist.text().length());
        } catch (IOException e) {
            // the stream thread is replaced and the event processed again from the last commit
            throw new UncheckedIOException("storing " + playlist.key(), e);
        }
    }

    /** Composes and stores the storyboard; a storage failure is retried as a playlist's is (the event is processed again). */
    private void compose(Assembly.ComposeStoryboard storyboard) {
        try {
            storyboards.compose(storyboard.videoId(), storyboard.storyboard(), storyboard.durationSeconds());
        } catch (IOException e) {
            throw new UncheckedIOException("composing the storyboard of " + storyboard.videoId(), e);
        }
    }

    private static final ObjectMapper JSON = EventJson.mapper();

    static AssemblyState read(byte[] bytes) {
        if (bytes == null) {
            return AssemblyState.empty();
        }
        try {
            return JSON.readValue(bytes, AssemblyState.class);
        } catch (IOException e) {
            throw new UncheckedIOException("an unreadable assembly state", e);
        }
    }

    static byte[] write(AssemblyState state) {
        try {
            return JSON.writeValueAsBytes(state);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
