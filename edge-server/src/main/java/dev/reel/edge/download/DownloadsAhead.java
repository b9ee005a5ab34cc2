package dev.reel.edge.download;

import dev.reel.events.Rendition;
import dev.reel.events.RenditionKind;
import dev.reel.events.VideoRecord;
import dev.reel.events.VideoState;
import dev.reel.events.objects.ObjectKeys;
import dev.reel.events.serde.MalformedEventException;
import dev.reel.events.serde.VideoRecordDeserializer;
import dev.reel.events.topics.Topics;
import dev.reel.service.storage.ObjectStorage;
import dev.reel.service.storage.StorageException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a video's downloads as soon as it is READY, so that the first viewer who asks for one is served a stored file
 * (time to first byte of a stored object) instead of waiting for the remux. The edges of a fleet share one consumer
 * group, {@value #GROUP}, on {@code reel.catalog}: a video's records are on one partition, which one edge owns, so one
 * edge makes its downloads (after a rebalance a second edge may find them stored: the {@link DownloadMaker} stats the
 * key first and never makes a stored download again). Offsets are committed after a record's downloads are made, so an
 * edge that dies mid-way leaves the rest to the partition's next owner.
 *
 * <p>It makes every complete, non-interim rung's MP4 and, when the source has audio, the M4A, one at a time on this
 * thread (a viewer's own request, which runs on the maker's slots, is never queued behind a backlog here). A make that
 * fails (storage away, a segment missing) is logged and counted; the download is then made on its first request, as
 * without this. Records of videos not READY, or whose owner turned downloads off, are skipped. A deletion (tombstone)
 * removes the video's downloads again, in case a make finished after ingest had deleted the video's media.
 */
public final class DownloadsAhead implements AutoCloseable {

    /** The fleet's group: one edge per catalog partition makes that partition's downloads. */
    public static final String GROUP = "reel-edge-downloads";

    private static final Logger log = LoggerFactory.getLogger(DownloadsAhead.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final DownloadMaker maker;
    private final ObjectStorage storage;
    private final VideoRecordDeserializer deserializer = new VideoRecordDeserializer();
    private final Thread thread;
    private final Counter made;
    private final Counter failed;
    private volatile boolean running = true;
    private volatile boolean making;

    /**
     * @param consumerConfig a consumer configuration with manual commits; its group is replaced by {@value #GROUP}
     * @param makeTimeout    the longest one make may take (the maker's ffmpeg timeout): a record is processed within
     *                       the poll interval even when every file of its ladder takes that long
     */
    public DownloadsAhead(Map<String, Object> consumerConfig, DownloadMaker maker, ObjectStorage storage, Duration makeTimeout,
            MeterRegistry registry) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // one record per poll: its ladder (at most a handful of files) must be made before the group gives up on us
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        config.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
                (int) Math.min(Integer.MAX_VALUE, Math.max(300_000L, makeTimeout.toMillis() * 10)));
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        this.maker = maker;
        this.storage = storage;
        this.thread = new Thread(this::run, "downloads-ahead");
        this.made = Counter.builder("reel.edge.downloads.ahead").tag("outcome", "stored")
                .description("downloads made (or found stored) when their video became READY").register(registry);
        this.failed = Counter.builder("reel.edge.downloads.ahead").tag("outcome", "failed")
                .description("downloads that could not be made ahead (made on first request instead)").register(registry);
    }

    public DownloadsAhead start() {
        thread.start();
        return this;
    }

    /** What to make for a catalog record: nothing unless READY with downloads on; each rung's MP4, and the M4A. */
    static List<Planned> plan(VideoRecord video) {
        if (video.state() != VideoState.READY || video.downloadsOff()) {
            return List.of();
        }
        Rendition audio = video.renditions().stream().filter(r -> r.kind() == RenditionKind.AUDIO).findFirst().orElse(null);
        if (audio != null && audio.growing()) {
            return List.of();
        }
        List<Rendition> rungs = video.renditions().stream().filter(r -> r.hasVideo() && !r.interim() && !r.growing()).toList();
        List<Planned> planned = new ArrayList<>();
        for (Rendition rung : rungs) {
            planned.add(new Planned(new DownloadFile(video.videoId(), rung.name()), rung,
                    rung.kind() == RenditionKind.VIDEO ? audio : null));
        }
        Rendition m4a = DownloadFile.audioSource(audio, rungs);
        if (video.source().audioCodec() != null && m4a != null) {
            planned.add(new Planned(new DownloadFile(video.videoId(), null), m4a, null));
        }
        return planned;
    }

    /**
     * One download to make.
     *
     * @param file   which
     * @param source the rendition it is made from
     * @param audio  the demuxed audio added to a video-only rung, or {@code null}
     */
    record Planned(DownloadFile file, Rendition source, Rendition audio) {
    }

    private void run() {
        try {
            consumer.subscribe(List.of(Topics.CATALOG));
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    makeAll(record);
                    try {
                        consumer.commitSync(Map.of(new TopicPartition(record.topic(), record.partition()),
                                new OffsetAndMetadata(record.offset() + 1)));
                    } catch (CommitFailedException e) {
                        // the partition moved on (a rebalance during a long make): its new owner reads the record
                        // again and finds the files stored
                        log.info("downloads ahead: {}-{}@{} not committed: {}", record.topic(), record.partition(),
                                record.offset(), e.getMessage());
                    }
                }
            }
        } catch (WakeupException | InterruptException e) {
            // close() asked us to stop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("downloads ahead stopped; downloads are made on first request", e);
        } finally {
            // close()'s interrupt (which ends a wait on a make) must not cut the consumer's leaving of the group short
            boolean interrupted = Thread.interrupted();
            try {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
            } catch (RuntimeException e) {
                log.warn("downloads ahead: closing the consumer: {}", e.toString());
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void makeAll(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        VideoRecord video = null;
        if (record.value() != null) {
            try {
                video = deserializer.deserialize(record.topic(), record.value());
            } catch (MalformedEventException e) {
                log.warn("downloads ahead skipped {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                        e.getMessage());
                return;
            }
        }
        if (record.key() != null && (video == null || video.state() == VideoState.DELETED)) {
            deleteDownloads(record.key());
            return;
        }
        if (video == null) {
            return;
        }
        double duration = video.source().durationSeconds();
        for (Planned planned : plan(video)) {
            making = true;
            try {
                maker.ensure(planned.file(), planned.source(), planned.audio(), duration).get();
                made.increment();
            } catch (ExecutionException e) {
                failed.increment();
                log.warn("download {} of {} not made ahead (it is made on first request): {}", planned.file().fileName(),
                        video.videoId(), e.getCause().toString());
            } finally {
                making = false;
            }
        }
    }

    /**
     * A deleted video's downloads, once more: ingest deletes {@code media/<id>/} on the deletion, but a make that was
     * under way then (this edge makes a partition's records in order, so any make of this video has finished by now)
     * may have stored a file after it. A failure leaves the orphan to ingest's own deletion or to nobody; it is logged.
     */
    private void deleteDownloads(String videoId) {
        try {
            int deleted = storage.deletePrefix(ObjectKeys.download(videoId, ""));
            if (deleted > 0) {
                log.info("downloads ahead: {} download(s) of deleted video {} removed", deleted, videoId);
            }
        } catch (StorageException e) {
            log.warn("downloads ahead: the downloads of deleted video {} not removed: {}", videoId, e.toString());
        }
    }

    /** Stops after the make under way (its ffmpeg is bounded by the maker's timeout) and closes the consumer. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        if (making) {
            thread.interrupt(); // waiting for a make: stop waiting (the make itself finishes or times out in the maker)
        }
        try {
            thread.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
