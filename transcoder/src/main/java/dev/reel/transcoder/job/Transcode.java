package dev.reel.transcoder.job;

import dev.reel.events.Rendition;
import dev.reel.events.RenditionKind;
import dev.reel.events.RenditionReady;
import dev.reel.events.TranscodeCompleted;
import dev.reel.events.TranscodeStarted;
import dev.reel.events.VideoUploaded;
import dev.reel.events.publish.EventWriter;
import dev.reel.service.storage.ObjectStorage;
import dev.reel.service.storage.StorageException;
import dev.reel.transcoder.ffmpeg.EncoderSettings;
import dev.reel.transcoder.ffmpeg.FfmpegCommand;
import dev.reel.transcoder.ffmpeg.FfmpegRun;
import dev.reel.transcoder.ffmpeg.ProbedSource;
import dev.reel.transcoder.ffmpeg.Progress;
import dev.reel.transcoder.ffmpeg.SourceProbe;
import dev.reel.transcoder.ffmpeg.TranscodeException;
import dev.reel.transcoder.ffmpeg.VideoPackets;
import dev.reel.transcoder.ladder.LadderTable;
import dev.reel.transcoder.ladder.PlannedRendition;
import dev.reel.transcoder.plan.Passthrough;
import dev.reel.transcoder.plan.SegmentPlan;
import dev.reel.transcoder.publish.ProgressReporter;
import dev.reel.transcoder.storage.OutputRendition;
import dev.reel.transcoder.storage.RenditionUploader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt at one upload. Probe the original (streams, and its video packets from the container's index), plan the
 * ladder and the instants every rendition keys at, then:
 *
 * <ol>
 *   <li>if the original plays in every browser as it is ({@link Passthrough}), copy it into fMP4 HLS with no decode
 *       (its video as a rendition, its AAC as the audio rendition), announced growing within seconds and complete
 *       once the copy is done: the video is PLAYABLE at full resolution seconds after its last byte;</li>
 *   <li>encode the rest of the ladder (every rung the passthrough does not stand in for, and the audio unless it was
 *       copied) with one ffmpeg, keyed at the passthrough's cut points, each rung announced growing once a viewer
 *       could start it without stalling ({@link GrowingRenditions}) and complete when done, lowest first;</li>
 *   <li>store the poster and write {@code transcode.completed} with the ladder (an interim passthrough is not part of
 *       it).</li>
 * </ol>
 *
 * <p>ffmpeg reads the original through a presigned GET URL: it range-reads what it needs, so no local copy is made.
 * Scratch space is deleted whatever happens.
 */
public final class Transcode {

    private static final Logger log = LoggerFactory.getLogger(Transcode.class);
    private static final Duration SUPERVISE_EVERY = Duration.ofMillis(250);
    /** A rendition covering less than this share of the source means ffmpeg skipped undecodable input. */
    private static final double MIN_COVERAGE = 0.5;
    /** The audio rendition's name. */
    static final String AUDIO = "audio";

    private final ObjectStorage storage;
    private final LongConsumer bytesWritten;
    private final EventWriter events;
    private final SourceProbe probe;
    private final LadderTable ladder;
    private final EncoderSettings encoder;
    private final Passthrough.Limits passthroughLimits;
    private final Path scratchRoot;
    private final Duration timeout;
    private final Executor uploads;
    private final NoStallStart noStallStart;
    private final String worker;

    /**
     * @param bytesWritten      told the size of every object stored (the bytes-written metric)
     * @param passthroughLimits what an original must meet to be passed through; {@code null} turns passthrough off
     */
    public Transcode(ObjectStorage storage, LongConsumer bytesWritten, EventWriter events, LadderTable ladder,
            EncoderSettings encoder, Passthrough.Limits passthroughLimits, Path scratchRoot, Duration timeout, Executor uploads,
            NoStallStart noStallStart, String worker) {
        this.storage = storage;
        this.bytesWritten = bytesWritten;
        this.events = events;
        this.probe = new SourceProbe(encoder.ffprobe());
        this.ladder = ladder;
        this.encoder = encoder;
        this.passthroughLimits = passthroughLimits;
        this.scratchRoot = scratchRoot;
        this.timeout = timeout;
        this.uploads = uploads;
        this.noStallStart = noStallStart;
        this.worker = worker;
    }

    /** What a successful attempt produced. */
    public record Result(TranscodeCompleted completed, double mediaSeconds) {
    }

    /**
     * @throws TranscodeException   the input could not be transcoded (or not in time)
     * @throws IOException          storage or Kafka failed
     * @throws InterruptedException the worker is stopping
     */
    public Result run(VideoUploaded upload, int attempt) throws TranscodeException, IOException, InterruptedException {
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
            ProbedSource source = probe.probe(input);
            Plan plan = plan(source, probe.packets(input, source.video()));
            events.publish(new TranscodeStarted(videoId, worker, attempt, plan.names()));
            log.info("transcoding {} (attempt {}): {}x{} {} fps, {} s, audio {}, {} segments of at most {} s, ladder {}, {}",
                    videoId, attempt, source.info().width(), source.info().height(),
                    String.format("%.2f", source.info().frameRate()), source.info().durationSeconds(), source.hasAudio(),
                    plan.cuts().count(), String.format("%.2f", plan.cuts().maxSeconds()), plan.names(), plan.describe());

            List<Rendition> done = new ArrayList<>();
            int target = plan.cuts().targetDuration(1 / source.info().frameRate());
            if (plan.passthrough().possible()) {
                List<OutputRendition> outputs = new ArrayList<>();
                if (source.hasAudio()) {
                    outputs.add(OutputRendition.audio(AUDIO));
                }
                outputs.add(new OutputRendition(plan.passthrough().name(), RenditionKind.VIDEO, source.info().width(),
                        source.info().height(), source.info().frameRate(), !plan.passthrough().kept()));
                Pass pass = new Pass(videoId, attempt, scratch.resolve("copy"), outputs, target, source, deadline, false);
                done.addAll(pass.run(FfmpegCommand.remux(input, source, plan.passthrough().name(), AUDIO, encoder,
                        pass.outputDir)));
            }
            if (!plan.encoded().isEmpty()) {
                List<OutputRendition> outputs = new ArrayList<>();
                String audio = source.hasAudio() && !plan.passthrough().possible() ? AUDIO : null;
                if (audio != null) {
                    outputs.add(OutputRendition.audio(audio)); // announced before any picture: it plays nothing alone
                }
                plan.encoded().forEach(r -> outputs.add(OutputRendition.of(r)));
                Pass pass = new Pass(videoId, attempt, scratch.resolve("ladder"), outputs, target, source, deadline, true);
                done.addAll(pass.run(FfmpegCommand.ladder(input, source, plan.encoded(), plan.cuts(), audio, encoder,
                        pass.outputDir)));
            }
            String posterKey = storePoster(input, source, plan.ladder().getLast(), scratch, videoId);
            long elapsedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
            // the ladder, ordered by bandwidth as the contract asks; an interim passthrough is not part of it
            List<Rendition> ladderDone = done.stream().filter(r -> !r.interim())
                    .sorted(Comparator.comparingLong(Rendition::bandwidth)).toList();
            TranscodeCompleted completed = new TranscodeCompleted(videoId, worker, ladderDone, posterKey, elapsedMillis);
            events.publish(completed);
            return new Result(completed, source.info().durationSeconds());
        } finally {
            deleteRecursively(scratch);
        }
    }

    /**
     * What a job does with a source.
     *
     * @param ladder      every rung planned for the source, lowest first
     * @param passthrough whether and how the original is passed through
     * @param encoded     the rungs ffmpeg encodes: the ladder, less the top rung when the passthrough stands in for it
     * @param cuts        where every rendition starts its segments
     * @param hasAudio    whether the video has an audio rendition
     */
    record Plan(List<PlannedRendition> ladder, Passthrough passthrough, List<PlannedRendition> encoded, SegmentPlan cuts,
            boolean hasAudio) {

        /** Every rendition's name, in the order they are announced. */
        List<String> names() {
            List<String> names = new ArrayList<>();
            if (hasAudio) {
                names.add(AUDIO);
            }
            if (passthrough.possible()) {
                names.add(passthrough.name());
            }
            encoded.forEach(r -> names.add(r.name()));
            return names;
        }

        String describe() {
            if (passthrough.possible()) {
                return "passthrough " + passthrough.name() + (passthrough.kept() ? " (kept in the ladder)" : " (interim)")
                        + String.format(" at %.1f Mbit/s peak", passthrough.peak() / 1e6);
            }
            return "no passthrough: " + String.join("; ", passthrough.obstacles());
        }
    }

    Plan plan(ProbedSource source, VideoPackets packets) {
        List<PlannedRendition> rungs = ladder.plan(source.info());
        SegmentPlan copyCuts = SegmentPlan.hlsMuxerCuts(packets, encoder.segmentSeconds());
        Passthrough passthrough = passthroughLimits == null
                ? new Passthrough(List.of("passthrough is turned off"), Passthrough.INTERIM_NAME, false, 0)
                : Passthrough.decide(source, packets, copyCuts, rungs, passthroughLimits);
        SegmentPlan cuts = passthrough.possible()
                ? copyCuts
                : SegmentPlan.every(packets.timeBase(), packets.start(), packets.end(), encoder.segmentSeconds());
        List<PlannedRendition> encoded = passthrough.kept() ? rungs.subList(0, rungs.size() - 1) : rungs;
        return new Plan(rungs, passthrough, List.copyOf(encoded), cuts, source.hasAudio());
    }

    /**
     * One ffmpeg writing some renditions into a folder of its own: its output uploaded while it runs, each rendition
     * announced growing when the rule allows, then, once ffmpeg succeeded, completed in order.
     */
    private final class Pass {
        final String videoId;
        final int attempt;
        final Path outputDir;
        final List<OutputRendition> outputs;
        final int targetDuration;
        final ProbedSource source;
        final long deadline;
        final boolean reportProgress;

        Pass(String videoId, int attempt, Path outputDir, List<OutputRendition> outputs, int targetDuration,
                ProbedSource source, long deadline, boolean reportProgress) {
            this.videoId = videoId;
            this.attempt = attempt;
            this.outputDir = outputDir;
            this.outputs = outputs;
            this.targetDuration = targetDuration;
            this.source = source;
            this.deadline = deadline;
            this.reportProgress = reportProgress;
        }

        List<Rendition> run(List<String> command) throws TranscodeException, IOException, InterruptedException {
            for (OutputRendition output : outputs) {
                Files.createDirectories(outputDir.resolve(output.name())); // ffmpeg makes only the folders of %v
            }
            RenditionUploader uploader = new RenditionUploader(storage, bytesWritten, videoId, outputDir, outputs, uploads,
                    targetDuration);
            // a re-run of a video that an earlier attempt completed must not put growing playlists over its final ones
            NoStallStart rule = attempt > 1 && uploader.hasFinalPlaylist(outputs.getFirst().name())
                    ? noStallStart.off()
                    : noStallStart;
            double duration = source.info().durationSeconds();
            GrowingRenditions growing = new GrowingRenditions(uploader, events, rule, videoId, outputs, duration);
            ProgressReporter progress = new ProgressReporter(events, videoId, worker, duration, System::nanoTime);
            Consumer<Progress> onProgress = reportProgress ? progress : progress::remember;
            try (FfmpegRun ffmpeg = FfmpegRun.start(command, videoId, onProgress)) {
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
                for (OutputRendition output : outputs) {
                    Rendition rendition = uploader.finish(output);
                    requireCoverage(rendition, duration, ffmpeg);
                    events.publish(new RenditionReady(videoId, rendition));
                    log.info("{} {} ready: {} {} segments, {} bit/s peak, {}", videoId, rendition.name(),
                            rendition.hasVideo() ? rendition.width() + "x" + rendition.height() : "audio",
                            rendition.segmentCount(), rendition.bandwidth(), rendition.codecs());
                    done.add(rendition);
                }
                return done;
            } finally {
                uploader.drain();
            }
        }
    }

    private String storePoster(String input, ProbedSource source, PlannedRendition top, Path scratch, String videoId)
            throws TranscodeException, IOException, InterruptedException {
        Path file = scratch.resolve("thumb.jpg");
        try (FfmpegRun ffmpeg = FfmpegRun.start(FfmpegCommand.poster(input, source, top, encoder, file), videoId, p -> {
        })) {
            ffmpeg.requireSuccess();
        }
        return new RenditionUploader(storage, bytesWritten, videoId, scratch, List.of(), uploads, 1).storePoster(file);
    }

    private static void requireCoverage(Rendition rendition, double sourceSeconds, FfmpegRun ffmpeg) throws TranscodeException {
        if (rendition.durationSeconds() < MIN_COVERAGE * sourceSeconds) {
            throw new TranscodeException(String.format("only %.1f s of %.1f s could be decoded; ffmpeg said: %s",
                    rendition.durationSeconds(), sourceSeconds, ffmpeg.stderrTail(1_000)));
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
