package dev.reel.transcoder.job;

import dev.reel.events.Rendition;
import dev.reel.events.RenditionReady;
import dev.reel.events.TranscodeCompleted;
import dev.reel.events.TranscodeStarted;
import dev.reel.events.VideoUploaded;
import dev.reel.events.objects.ObjectKeys;
import dev.reel.events.publish.EventWriter;
import dev.reel.service.storage.ObjectStorage;
import dev.reel.service.storage.StorageException;
import dev.reel.transcoder.ffmpeg.EncoderSettings;
import dev.reel.transcoder.ffmpeg.FfmpegCommand;
import dev.reel.transcoder.ffmpeg.FfmpegRun;
import dev.reel.transcoder.ffmpeg.SourceInfo;
import dev.reel.transcoder.ffmpeg.SourceProbe;
import dev.reel.transcoder.ffmpeg.TranscodeException;
import dev.reel.transcoder.ladder.LadderTable;
import dev.reel.transcoder.ladder.PlannedRendition;
import dev.reel.transcoder.publish.ProgressReporter;
import dev.reel.transcoder.storage.RenditionUploader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt at one upload: probe the original, choose the ladder, run the one ffmpeg while its output is uploaded
 * and, once a viewer could start without stalling, announce the renditions as growing ({@link GrowingRenditions});
 * then store each rendition's final playlist and announce it complete (lowest first), the poster, and the completed
 * ladder.
 *
 * <p>ffmpeg reads the original through a presigned GET URL: it range-reads what it needs (an MP4 whose index is at
 * the end is read with a seek, which S3 range requests serve), so no local copy of the original is made.
 * Scratch space (ffmpeg's output) is deleted whatever happens.
 */
public final class Transcode {

    private static final Logger log = LoggerFactory.getLogger(Transcode.class);
    private static final Duration SUPERVISE_EVERY = Duration.ofMillis(250);
    /** A rendition covering less than this share of the source means ffmpeg skipped undecodable input. */
    private static final double MIN_COVERAGE = 0.5;

    private final ObjectStorage storage;
    private final LongConsumer bytesWritten;
    private final EventWriter events;
    private final SourceProbe probe;
    private final LadderTable ladder;
    private final EncoderSettings encoder;
    private final Path scratchRoot;
    private final Duration timeout;
    private final Executor uploads;
    private final NoStallStart noStallStart;
    private final String worker;

    /** @param bytesWritten told the size of every object stored (the bytes-written metric) */
    public Transcode(ObjectStorage storage, LongConsumer bytesWritten, EventWriter events, LadderTable ladder,
            EncoderSettings encoder, Path scratchRoot, Duration timeout, Executor uploads, NoStallStart noStallStart,
            String worker) {
        this.storage = storage;
        this.bytesWritten = bytesWritten;
        this.events = events;
        this.probe = new SourceProbe(encoder.ffprobe());
        this.ladder = ladder;
        this.encoder = encoder;
        this.scratchRoot = scratchRoot;
        this.timeout = timeout;
        this.uploads = uploads;
        this.noStallStart = noStallStart;
        this.worker = worker;
    }

    /** What a successful attempt produced. */
    /**
     * Deletes everything under the video's media folder that the completed ladder does not name: what an earlier,
     * superseded attempt (a rendition or segments this one did not make) left behind. Best effort: a leftover is logged.
     */
    private void dropSuperseded(String videoId, List<Rendition> ladder, String posterKey) {
        Set<String> kept = new HashSet<>();
        kept.add(posterKey);
        for (Rendition rendition : ladder) {
            String folder = rendition.playlistKey().substring(0, rendition.playlistKey().lastIndexOf('/') + 1);
            kept.add(rendition.playlistKey());
            kept.add(folder + ObjectKeys.INIT);
            for (int n = 1; n <= rendition.segmentCount(); n++) {
                kept.add(folder + FfmpegCommand.SEGMENT_PATTERN.formatted(n));
            }
        }
        try {
            List<String> stale = storage.list(ObjectKeys.mediaPrefix(videoId)).stream().filter(key -> !kept.contains(key))
                    .toList();
            for (String key : stale) {
                storage.delete(key);
            }
            if (!stale.isEmpty()) {
                log.info("{}: deleted {} object(s) of a superseded attempt", videoId, stale.size());
            }
        } catch (StorageException e) {
            log.warn("{}: could not delete what a superseded attempt left: {}", videoId, e.toString());
        }
    }

    /** Deletes every object of the video's media folder (a transcode that failed for good leaves no half ladder). */
    public int discardMedia(String videoId) throws StorageException {
        return storage.deletePrefix(ObjectKeys.mediaPrefix(videoId));
    }

    public record Result(TranscodeCompleted completed, double mediaSeconds) {
    }

    /**
     * @throws TranscodeException   the input could not be transcoded (or not in time)
     * @throws IOException          storage or Kafka failed
     * @throws InterruptedException the worker is stopping
     */
    public Result run(VideoUploaded upload, int attempt) throws TranscodeException, IOException, InterruptedException {
        long started = System.nanoTime();
        String videoId = upload.videoId();
        Path scratch = Files.createTempDirectory(scratchRoot, videoId + "-");
        try {
            // storage being away must not pass for an unplayable original in the probe below
            storage.stat(upload.objectKey()).orElseThrow(() -> new StorageException(StorageException.Kind.NOT_FOUND,
                    "cannot read " + upload.objectKey() + ": no such object", null));
            // valid for the whole attempt: ffmpeg keeps reading through it
            String input = storage.presignedGet(upload.objectKey(), timeout.plusMinutes(10));
            SourceInfo source = probe.probe(input);
            List<PlannedRendition> plan = ladder.plan(source);
            events.publish(new TranscodeStarted(videoId, worker, attempt, plan.stream().map(PlannedRendition::name).toList()));
            log.info("transcoding {} (attempt {}): {}x{} {} fps, {} s, audio {}, ladder {}", videoId, attempt, source.width(),
                    source.height(), String.format("%.2f", source.frameRate()), source.durationSeconds(), source.hasAudio(),
                    plan.stream().map(PlannedRendition::name).toList());

            RenditionUploader uploader = new RenditionUploader(storage, bytesWritten, videoId, scratch, plan, uploads);
            // a re-run of a video that an earlier attempt completed must not put growing playlists over its final ones
            NoStallStart rule = attempt > 1 && uploader.hasFinalPlaylist(plan.getFirst().name())
                    ? noStallStart.off()
                    : noStallStart;
            GrowingRenditions growing = new GrowingRenditions(uploader, events, rule, videoId, plan, source.hasAudio(),
                    source.durationSeconds());
            ProgressReporter progress = new ProgressReporter(events, videoId, worker, source.durationSeconds(),
                    System::nanoTime);
            try (FfmpegRun ffmpeg = FfmpegRun.start(FfmpegCommand.build(input, source, plan, encoder, scratch), videoId,
                    progress)) {
                long deadline = started + timeout.toNanos();
                while (!ffmpeg.waitFor(SUPERVISE_EVERY)) {
                    uploader.uploadCompletedSegments();
                    growing.update(progress.latest());
                    if (System.nanoTime() > deadline) {
                        throw new TranscodeException(
                                "timed out after " + timeout + " (job timeout); ffmpeg said: " + ffmpeg.stderrTail(1_000));
                    }
                }
                ffmpeg.requireSuccess();
                List<Rendition> done = new ArrayList<>();
                for (PlannedRendition planned : plan) {
                    Rendition rendition = uploader.finish(planned, source.hasAudio());
                    requireCoverage(rendition, source, ffmpeg);
                    events.publish(new RenditionReady(videoId, rendition));
                    log.info("{} {} ready: {}x{} {} segments, {} bit/s peak, {}", videoId, rendition.name(), rendition.width(),
                            rendition.height(), rendition.segmentCount(), rendition.bandwidth(), rendition.codecs());
                    done.add(rendition);
                }
                String posterKey = uploader.storePoster();
                long elapsedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
                // the contract orders the completed ladder by bandwidth; measured peaks follow the table in practice
                done.sort(Comparator.comparingLong(Rendition::bandwidth));
                TranscodeCompleted completed = new TranscodeCompleted(videoId, worker, done, posterKey, elapsedMillis);
                events.publish(completed);
                dropSuperseded(videoId, done, posterKey);
                return new Result(completed, source.durationSeconds());
            } finally {
                uploader.drain();
            }
        } finally {
            deleteRecursively(scratch);
        }
    }

    private static void requireCoverage(Rendition rendition, SourceInfo source, FfmpegRun ffmpeg) throws TranscodeException {
        if (rendition.durationSeconds() < MIN_COVERAGE * source.durationSeconds()) {
            throw new TranscodeException(String.format("only %.1f s of %.1f s could be decoded; ffmpeg said: %s",
                    rendition.durationSeconds(), source.durationSeconds(), ffmpeg.stderrTail(1_000)));
        }
    }

    private static void deleteRecursively(Path dir) {
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
