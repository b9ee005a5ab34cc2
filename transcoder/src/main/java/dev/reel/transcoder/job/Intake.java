package dev.reel.transcoder.job;

import dev.reel.events.ChunkRequested;
import dev.reel.events.Rendition;
import dev.reel.events.RenditionKind;
import dev.reel.events.RenditionReady;
import dev.reel.events.StoryboardTiles;
import dev.reel.events.TranscodeStarted;
import dev.reel.events.VideoUploaded;
import dev.reel.events.objects.ObjectKeys;
import dev.reel.events.publish.EventWriter;
import dev.reel.service.storage.ObjectStorage;
import dev.reel.service.storage.StorageException;
import dev.reel.transcoder.ffmpeg.EncoderSettings;
import dev.reel.transcoder.ffmpeg.FfmpegCommand;
import dev.reel.transcoder.ffmpeg.FfmpegRun;
import dev.reel.transcoder.ffmpeg.ProbedSource;
import dev.reel.transcoder.ffmpeg.SourceProbe;
import dev.reel.transcoder.ffmpeg.TranscodeException;
import dev.reel.transcoder.ladder.LadderTable;
import dev.reel.transcoder.ladder.PlannedRendition;
import dev.reel.transcoder.ops.TranscoderMetrics;
import dev.reel.transcoder.plan.Passthrough;
import dev.reel.transcoder.plan.VideoPlan;
import dev.reel.transcoder.publish.ProgressReporter;
import dev.reel.transcoder.storage.OutputRendition;
import dev.reel.transcoder.storage.RenditionUploader;
import dev.reel.transcoder.storyboard.StoryboardStore;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job of an upload: read the original's streams (as ingest's ffprobe stored them beside it, else probed here) and
 * list its video packets (from the container's index), plan its renditions and chunks ({@link VideoPlan}), write
 * {@code transcode.started} and {@code transcode.planned}, request the chunk tasks on {@code reel.chunks}, store the
 * poster, and, if the original plays in every browser as it is
 * ({@link dev.reel.transcoder.plan.Passthrough}), copy it into fMP4 HLS with no decode (its video as a rendition, its
 * AAC as the audio rendition), announced growing within seconds and complete once the copy is done: the video is
 * PLAYABLE at full resolution seconds after its last byte, while any worker encodes the ladder's chunks.
 *
 * <p>The video's packets are listed by an ffprobe beside the streams' reading, and when the streams allow a copy
 * ({@link Passthrough#likelyName}) it starts before the packets are in (the listing reads the whole original): the
 * plan then confirms it, or stops it when the packets rule it out or name it otherwise.
 *
 * <p>With a passthrough, the start of the original is decoded while the copy begins (a copy decodes nothing, so an
 * original that is damaged past its header is caught here) and nothing is announced before it decoded. The tasks are
 * requested once the copy is announced (growing, or complete for a short video): the video's own ladder does not
 * compete with its way to PLAYABLE, then is encoded while the copy finishes, at a lower priority
 * ({@code REEL_TRANSCODER_NICE}). ffmpeg reads the original through a
 * presigned GET URL: it range-reads what it needs, so no local copy is made. Scratch space is deleted whatever happens.
 */
public final class Intake {

    private static final Logger log = LoggerFactory.getLogger(Intake.class);
    /**
     * How often the copy's new segments are sent to storage and its renditions considered for announcing: each check
     * reads two small playlists, and every one skipped is time a viewer waits for PLAYABLE.
     */
    private static final Duration SUPERVISE_EVERY = Duration.ofMillis(50);
    /** A rendition covering less than this share of the source means ffmpeg skipped undecodable input. */
    private static final double MIN_COVERAGE = 0.5;
    /**
     * How much of an original that is copied is decoded before the copy is announced: its first second. Enough to catch
     * media that is garbage behind a valid header; damage further in fails the chunk tasks (then the video), and the
     * check holds up PLAYABLE for as long as it takes.
     */
    private static final int DECODE_CHECK_SECONDS = 1;

    private final ObjectStorage storage;
    private final TranscoderMetrics metrics;
    private final EventWriter events;
    private final SourceProbe probe;
    private final LadderTable ladder;
    private final EncoderSettings encoder;
    private final VideoPlan.Settings planning;
    private final Path scratchRoot;
    private final Duration timeout;
    private final Executor uploads;
    private final NoStallStart noStallStart;
    private final String worker;

    /** @param metrics told the size of every object stored, and where each plan's streams came from */
    public Intake(ObjectStorage storage, TranscoderMetrics metrics, EventWriter events, LadderTable ladder,
            EncoderSettings encoder, VideoPlan.Settings planning, Path scratchRoot, Duration timeout, Executor uploads,
            NoStallStart noStallStart, String worker) {
        this.storage = storage;
        this.metrics = metrics;
        this.events = events;
        this.probe = new SourceProbe(encoder.ffprobe());
        this.ladder = ladder;
        this.encoder = encoder;
        this.planning = planning;
        this.scratchRoot = scratchRoot;
        this.timeout = timeout;
        this.uploads = uploads;
        this.noStallStart = noStallStart;
        this.worker = worker;
    }

    /**
     * @return what was done: the time to plan and copy, and the original's duration
     * @throws TranscodeException   the original could not be read or copied (or not in time)
     * @throws IOException          storage or Kafka failed
     * @throws InterruptedException the worker is stopping
     */
    public EventJobs.Done run(VideoUploaded upload, int attempt) throws TranscodeException, IOException, InterruptedException {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        String videoId = upload.videoId();
        Path scratch = Files.createTempDirectory(scratchRoot, videoId + "-");
        try {
            // storage being away must not pass for an unplayable original in the probe below
            storage.stat(upload.objectKey()).orElseThrow(() -> new StorageException(StorageException.Kind.NOT_FOUND,
                    "cannot read " + upload.objectKey() + ": no such object", null));
            // valid for the whole attempt: ffmpeg keeps reading through it
            String input = storage.presignedGet(upload.objectKey(), timeout.plusMinutes(10));
            // the video's packets are listed from the start: the listing reads the whole original
            CompletableFuture<String> listing = probe.startPacketListing(input, uploads);
            // a copy is not decoded: the start of the original is, beside the streams' reading, the listing and the
            // plan (started after the probe, it was the last to end on a busy machine); a passthrough is announced,
            // and its tasks requested, only once it decoded
            CompletableFuture<String> decodes = CompletableFuture.supplyAsync(() -> decodeCheck(input, videoId), uploads);
            CompletableFuture<String> poster = null;
            Copy early = null;
            try {
                ProbedSource source = streams(videoId, input);
                // the poster needs only the streams (its size is the ladder's top, planned from them): made beside the
                // copy, not after the plan, as the copy's renditions are announced complete only once it is stored
                PlannedRendition top = ladder.plan(source.info()).getLast();
                poster = CompletableFuture.supplyAsync(() -> storePoster(input, videoId, source, top, scratch), uploads);
                // when the streams allow a copy, it starts now rather than after the listing: the plan confirms it or,
                // rarely, stops it (the packets rule it out, or give it another name)
                Optional<String> likely = VideoPlan.likelyPassthrough(source, ladder, planning);
                if (likely.isPresent()) {
                    early = new Copy(input, videoId, attempt, source, likely.get(), scratch);
                }
                return plan(upload, attempt, input, source, listing, early, decodes, poster, scratch, started, deadline);
            } finally {
                if (early != null) {
                    early.close();
                }
                settle(decodes); // no ffmpeg outlives the attempt
                if (poster != null) {
                    settle(poster);
                }
                settle(listing); // nor an ffprobe
            }
        } finally {
            ScratchDirs.delete(scratch);
        }
    }

    /** Plans the video, announces the plan, then copies it (a passthrough) or requests its tasks. */
    private EventJobs.Done plan(VideoUploaded upload, int attempt, String input, ProbedSource source,
            CompletableFuture<String> listing, Copy early, CompletableFuture<String> decodes, CompletableFuture<String> poster,
            Path scratch, long started, long deadline) throws TranscodeException, IOException, InterruptedException {
        String videoId = upload.videoId();
        VideoPlan plan = VideoPlan.of(videoId, upload.objectKey(), source, probe.packets(input, source.video(), listing),
                ladder, planning);
        Copy copy = early;
        if (copy != null && !copy.fits(plan)) {
            log.info("{}: the copy started as {} stops: {}", videoId, copy.name, plan.passthrough().possible()
                    ? "the plan names it " + plan.passthrough().name()
                    : plan.passthrough().obstacles());
            copy.close();
            copy = null;
        }
        events.publish(new TranscodeStarted(videoId, worker, attempt, plan.names()));
        log.info("planned {} (attempt {}) {} ms after its job started: {}x{} {} fps, {} s, audio {}, renditions {}; {}; "
                + "plan {}", videoId, attempt, (System.nanoTime() - started) / 1_000_000, source.info().width(),
                source.info().height(), String.format("%.2f", source.info().frameRate()), source.info().durationSeconds(),
                source.hasAudio(), plan.names(), plan.describe(), plan.planId());
        events.publish(plan.planned(worker, attempt, ObjectKeys.poster(videoId)));
        if (plan.passthrough().possible()) {
            // the copy announces its renditions complete only once the poster is stored: the assembler may
            // complete the video as soon as they are
            // when no task will decode the video, its storyboard tiles are made here too, also before that (not on the
            // job's thread: the copy is supervised there)
            CompletableFuture<String> stored = plan.intakeTiles() == null
                    ? poster
                    : poster.thenApplyAsync(key -> storeTiles(input, plan, scratch, key), uploads);
            if (copy == null) {
                copy = new Copy(input, videoId, attempt, source, plan.passthrough().name(), scratch);
            }
            try (Copy running = copy) {
                running.run(plan.targetDuration(), deadline, decodes, () -> requestTasks(plan), () -> join(stored));
            } finally {
                settle(stored); // the tiles' ffmpeg does not outlive the attempt either
            }
        } else {
            // stored before any task can finish: the assembler may complete the video as soon as they have
            join(poster);
            requestTasks(plan);
        }
        return new EventJobs.Done(Duration.ofNanos(System.nanoTime() - started), source.info().durationSeconds());
    }

    /**
     * The original's streams as ingest's ffprobe found them (stored beside it before {@code video.uploaded}): one
     * process fewer between the last byte and the first picture. Probed here when there is no such file (stored before
     * ingest kept one) or it does not read.
     */
    private ProbedSource streams(String videoId, String input)
            throws StorageException, TranscodeException, InterruptedException {
        Optional<String> stored = storage.readText(ObjectKeys.originalProbe(videoId));
        if (stored.isPresent()) {
            try {
                ProbedSource source = SourceProbe.read(stored.get());
                metrics.streamsRead("ingest");
                return source;
            } catch (TranscodeException e) {
                log.warn("{}: the probe stored beside the original does not read ({}): probing it", videoId, e.getMessage());
            }
        }
        metrics.streamsRead("ffprobe");
        return probe.probe(input);
    }

    /** Writes every chunk task to {@code reel.chunks}, in order, and waits until the brokers have them all. */
    private void requestTasks(VideoPlan plan) throws IOException, InterruptedException {
        List<ChunkRequested> requests = plan.requests();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (ChunkRequested request : requests) {
            sent.add(events.send(request));
        }
        for (int i = 0; i < sent.size(); i++) {
            events.await(sent.get(i), "chunk task " + i + " of " + plan.videoId());
        }
        log.info("{}: {} chunk task(s) requested", plan.videoId(), requests.size());
    }

    /** Decodes the start of the original; throws (unchecked) if it does not decode. */
    private String decodeCheck(String input, String videoId) {
        try (FfmpegRun ffmpeg = FfmpegRun.start(FfmpegCommand.decodeCheck(input, DECODE_CHECK_SECONDS, encoder),
                videoId + "-check", p -> {
                })) {
            ffmpeg.requireSuccess();
            return "decodes";
        } catch (TranscodeException e) {
            throw new UncheckedIOException(new IOException("the original does not decode: " + e.getMessage(), e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("interrupted while checking the original"));
        }
    }

    /**
     * The passthrough's one ffmpeg, copying the original's video (and audio) into renditions in a folder of its own:
     * started as soon as the streams allow it, then run once the plan has confirmed it: its output uploaded while it
     * runs, each rendition announced growing when the rule allows, then, once ffmpeg succeeded (and
     * {@code beforeComplete} ran), completed in order.
     */
    private final class Copy implements AutoCloseable {
        final String videoId;
        final int attempt;
        final String name;
        final Path outputDir;
        final List<OutputRendition> outputs = new ArrayList<>();
        final ProbedSource source;
        // a copy's progress is not the job's (the ladder's is): it is only watched, for the encode speed
        final ProgressReporter progress;
        final FfmpegRun ffmpeg;

        /** Starts ffmpeg, the video rendition named {@code name}. */
        Copy(String input, String videoId, int attempt, ProbedSource source, String name, Path scratch)
                throws TranscodeException, IOException {
            this.videoId = videoId;
            this.attempt = attempt;
            this.name = name;
            this.source = source;
            this.outputDir = scratch.resolve("copy-" + name);
            if (source.hasAudio()) {
                outputs.add(OutputRendition.audio(VideoPlan.AUDIO));
            }
            outputs.add(new OutputRendition(name, RenditionKind.VIDEO, source.info().width(), source.info().height(),
                    source.info().frameRate(), Passthrough.INTERIM_NAME.equals(name)));
            for (OutputRendition output : outputs) {
                Files.createDirectories(outputDir.resolve(output.name())); // ffmpeg makes only the folders of %v
            }
            this.progress = new ProgressReporter(events, videoId, worker, source.info().durationSeconds(), System::nanoTime);
            this.ffmpeg = FfmpegRun.start(FfmpegCommand.remux(input, source, name, VideoPlan.AUDIO, encoder, outputDir),
                    videoId, progress::remember);
        }

        /** Whether the plan passes the original through under this copy's name. */
        boolean fits(VideoPlan plan) {
            return plan.passthrough().possible() && plan.passthrough().name().equals(name);
        }

        /**
         * @param gate           nothing is announced before it completes, nothing at all if it fails
         * @param onPlayable     runs once, when every rendition has been announced (growing or complete)
         * @param beforeComplete runs after ffmpeg succeeded, before the complete announcements
         */
        void run(int targetDuration, long deadline, CompletableFuture<String> gate, Interruptible onPlayable,
                Interruptible beforeComplete) throws TranscodeException, IOException, InterruptedException {
            RenditionUploader uploader = new RenditionUploader(storage, metrics::bytesWritten, videoId, outputDir, outputs,
                    uploads,
                    targetDuration);
            // a re-run of a video that an earlier attempt completed must not put growing playlists over its final ones
            NoStallStart rule = attempt > 1 && uploader.hasFinalPlaylist(outputs.getFirst().name())
                    ? noStallStart.off()
                    : noStallStart;
            double duration = source.info().durationSeconds();
            GrowingRenditions growing = new GrowingRenditions(uploader, events, rule, videoId, outputs, duration);
            try {
                boolean playable = false;
                while (!ffmpeg.waitFor(SUPERVISE_EVERY)) {
                    uploader.uploadCompletedSegments();
                    if (gate.isDone()) {
                        join(gate); // done: returns at once, or throws its failure
                        growing.update(progress.latest());
                        if (!playable && growing.allAnnounced()) {
                            onPlayable.run();
                            playable = true;
                        }
                    }
                    if (System.nanoTime() > deadline) {
                        throw new TranscodeException(
                                "timed out after " + timeout + " (job timeout); ffmpeg said: " + ffmpeg.stderrTail(1_000));
                    }
                }
                ffmpeg.requireSuccess();
                // the last segments of every rendition on their way at once, not one rendition after the other
                uploader.uploadCompletedSegments();
                join(gate);
                beforeComplete.run();
                for (OutputRendition output : outputs) {
                    Rendition rendition = uploader.finish(output);
                    requireCoverage(rendition, duration, ffmpeg);
                    events.publish(new RenditionReady(videoId, rendition));
                    log.info("{} {} ready: {} {} segments, {} bit/s peak, {}", videoId, rendition.name(),
                            rendition.hasVideo() ? rendition.width() + "x" + rendition.height() : "audio",
                            rendition.segmentCount(), rendition.bandwidth(), rendition.codecs());
                }
                if (!playable) {
                    onPlayable.run();
                }
            } finally {
                uploader.drain();
            }
        }

        /** Stops ffmpeg if it still runs. */
        @Override
        public void close() {
            ffmpeg.close();
        }
    }

    /** Something to do before the copy's renditions are announced complete. */
    @FunctionalInterface
    private interface Interruptible {
        void run() throws IOException, InterruptedException;
    }

    /** Waits until {@code work} has ended, whatever its outcome (its failure is reported where it is joined). */
    private static void settle(CompletableFuture<?> work) {
        work.handle((ok, error) -> ok).join();
    }

    private static void join(CompletableFuture<String> poster) throws IOException, InterruptedException {
        try {
            poster.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof UncheckedIOException u ? u.getCause() : new IOException(e.getCause());
        }
    }

    /** One frame of the original at the top rung's size, stored as the poster; returns its key. */
    private String storePoster(String input, String videoId, ProbedSource source, PlannedRendition top, Path scratch) {
        Path file = scratch.resolve("thumb.jpg");
        try (FfmpegRun ffmpeg = FfmpegRun.start(FfmpegCommand.poster(input, source, top, encoder, file), videoId, p -> {
        })) {
            ffmpeg.requireSuccess();
            if (!Files.exists(file) || Files.size(file) == 0) {
                throw new TranscodeException("ffmpeg wrote no poster");
            }
            String key = ObjectKeys.poster(videoId);
            metrics.bytesWritten(storage.putFile(key, file, "image/jpeg"));
            return key;
        } catch (TranscodeException | IOException e) {
            throw new UncheckedIOException(e instanceof IOException io ? io : new IOException(e.getMessage(), e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("interrupted while storing the poster"));
        }
    }

    /**
     * The storyboard's tiles of a video no task decodes, from a decode of the (small) original for them alone; stored
     * under the same keys the tasks would use, so the assembler composes them the same way.
     */
    private String storeTiles(String input, VideoPlan plan, Path scratch, String posterKey) {
        StoryboardTiles tiles = plan.intakeTiles();
        Path dir = scratch.resolve(FfmpegCommand.TILES_DIR);
        try {
            Files.createDirectories(dir);
            try (FfmpegRun ffmpeg = FfmpegRun.start(FfmpegCommand.tiles(input, plan.source(), tiles, encoder, dir),
                    plan.videoId() + "-tiles", p -> {
                    })) {
                ffmpeg.requireSuccess();
            }
            List<Path> files = ChunkEncode.tileFiles(tiles, dir);
            for (int i = 0; i < files.size(); i++) {
                metrics.bytesWritten(storage.putFile(ObjectKeys.storyboardTile(plan.videoId(), tiles.first() + i), files.get(i),
                        StoryboardStore.JPEG));
            }
            return posterKey;
        } catch (TranscodeException | IOException e) {
            throw new UncheckedIOException(e instanceof IOException io ? io : new IOException(e.getMessage(), e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("interrupted while making the storyboard"));
        }
    }

    private static void requireCoverage(Rendition rendition, double sourceSeconds, FfmpegRun ffmpeg) throws TranscodeException {
        if (rendition.durationSeconds() < MIN_COVERAGE * sourceSeconds) {
            throw new TranscodeException(String.format("only %.1f s of %.1f s could be decoded; ffmpeg said: %s",
                    rendition.durationSeconds(), sourceSeconds, ffmpeg.stderrTail(1_000)));
        }
    }
}
