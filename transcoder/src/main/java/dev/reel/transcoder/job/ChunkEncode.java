package dev.reel.transcoder.job;

import dev.reel.events.ChunkCompleted;
import dev.reel.events.ChunkCompleted.ChunkOutput;
import dev.reel.events.ChunkCompleted.ChunkSegment;
import dev.reel.events.ChunkRequested;
import dev.reel.events.StoryboardTiles;
import dev.reel.events.TaskRendition;
import dev.reel.events.objects.ObjectKeys;
import dev.reel.events.publish.EventWriter;
import dev.reel.service.storage.ObjectStorage;
import dev.reel.service.storage.StorageException;
import dev.reel.transcoder.ffmpeg.EncoderSettings;
import dev.reel.transcoder.ffmpeg.FfmpegCommand;
import dev.reel.transcoder.ffmpeg.FfmpegRun;
import dev.reel.transcoder.ffmpeg.TimeBase;
import dev.reel.transcoder.ffmpeg.TranscodeException;
import dev.reel.transcoder.ladder.Codecs;
import dev.reel.transcoder.storage.Fmp4;
import dev.reel.transcoder.storage.MediaPlaylist;
import dev.reel.transcoder.storage.RenditionUploader;
import dev.reel.transcoder.storyboard.StoryboardStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt at a chunk task: ffmpeg encodes the task's chunk of the original to its renditions with one decode
 * (or the audio, once), and, from the same decode, the storyboard tiles whose frames are in its chunk; every segment is moved onto the video's timeline ({@link Fmp4#shift}) and stored under its
 * final name (the first chunk's init segment too), then {@code chunk.completed} says what was stored.
 *
 * <p>A task that did not make the segments it was planned to make (an original whose keyframes are not where its
 * index says) fails rather than publishing a hole. The objects a killed attempt stored are overwritten by the attempt
 * that redoes it, under the same keys.
 */
public final class ChunkEncode {

    private static final Logger log = LoggerFactory.getLogger(ChunkEncode.class);
    private static final Duration SUPERVISE_EVERY = Duration.ofMillis(250);
    private static final String SEGMENT_TYPE = "video/iso.segment";
    private static final String INIT_TYPE = "video/mp4";

    private final ObjectStorage storage;
    private final LongConsumer bytesWritten;
    private final EventWriter events;
    private final EncoderSettings encoder;
    private final Path scratchRoot;
    private final Duration timeout;
    private final Executor uploads;
    private final String worker;

    /** @param bytesWritten told the size of every object stored (the bytes-written metric) */
    public ChunkEncode(ObjectStorage storage, LongConsumer bytesWritten, EventWriter events, EncoderSettings encoder,
            Path scratchRoot, Duration timeout, Executor uploads, String worker) {
        this.storage = storage;
        this.bytesWritten = bytesWritten;
        this.events = events;
        this.encoder = encoder;
        this.scratchRoot = scratchRoot;
        this.timeout = timeout;
        this.uploads = uploads;
        this.worker = worker;
    }

    /**
     * @return the attempt's time and the media seconds it encoded
     * @throws TranscodeException   ffmpeg failed, timed out, or made other segments than planned
     * @throws IOException          storage or Kafka failed
     * @throws InterruptedException the worker is stopping
     */
    public EventJobs.Done run(ChunkRequested task, int attempt) throws TranscodeException, IOException, InterruptedException {
        long started = System.nanoTime();
        Path scratch = Files.createTempDirectory(scratchRoot, task.videoId() + "-t" + task.task() + "-");
        try {
            storage.stat(task.objectKey()).orElseThrow(() -> new StorageException(StorageException.Kind.NOT_FOUND,
                    "cannot read " + task.objectKey() + ": no such object", null));
            String input = storage.presignedGet(task.objectKey(), timeout.plusMinutes(10));
            for (TaskRendition r : task.renditions()) {
                Files.createDirectories(scratch.resolve(r.name())); // ffmpeg makes only the folders of %v
            }
            Files.createDirectories(scratch.resolve(FfmpegCommand.TILES_DIR));
            log.info("{} task {} of {} ({}, attempt {}): encoding", task.videoId(), task.task(), task.taskCount(),
                    task.renditions().stream().map(TaskRendition::name).toList(), attempt);
            List<String> command = task.audio()
                    ? FfmpegCommand.audio(input, task, encoder, scratch)
                    : FfmpegCommand.chunk(input, task, encoder, scratch);
            long cpuMillis;
            try (FfmpegRun ffmpeg = FfmpegRun.start(command, task.videoId() + "-t" + task.task(), p -> {
            })) {
                long deadline = started + timeout.toNanos();
                while (!ffmpeg.waitFor(SUPERVISE_EVERY)) {
                    if (System.nanoTime() > deadline) {
                        throw new TranscodeException(
                                "timed out after " + timeout + " (job timeout); ffmpeg said: " + ffmpeg.stderrTail(1_000));
                    }
                }
                ffmpeg.requireSuccess();
                cpuMillis = ffmpeg.cpuMillis();
            }
            List<CompletableFuture<Void>> stored = new ArrayList<>();
            List<ChunkOutput> outputs = new ArrayList<>();
            double mediaSeconds = 0;
            for (TaskRendition rendition : task.renditions()) {
                ChunkOutput output = store(task, rendition, scratch.resolve(rendition.name()), stored);
                outputs.add(output);
                mediaSeconds = output.segments().stream().mapToDouble(ChunkSegment::durationSeconds).sum();
            }
            if (task.storyboard() != null) {
                storeTiles(task.videoId(), task.storyboard(), scratch.resolve(FfmpegCommand.TILES_DIR), stored);
            }
            awaitAll(stored);
            long elapsed = Duration.ofNanos(System.nanoTime() - started).toMillis();
            events.publish(new ChunkCompleted(task.videoId(), task.planId(), task.task(), worker, attempt, elapsed, cpuMillis,
                    outputs));
            log.info("{} task {} of {} ({}, segments {}-{}) stored in {} ms, {} ms of CPU", task.videoId(), task.task(),
                    task.taskCount(), task.renditions().stream().map(TaskRendition::name).toList(), task.firstSegment(),
                    task.firstSegment() + outputs.getFirst().segments().size() - 1, elapsed, cpuMillis);
            return new EventJobs.Done(Duration.ofMillis(elapsed), mediaSeconds);
        } finally {
            ScratchDirs.delete(scratch);
        }
    }

    /**
     * Checks what ffmpeg made of one rendition, moves its segments onto the video's timeline and starts storing them
     * (and the init segment, for the video's first chunk or the audio).
     */
    private ChunkOutput store(ChunkRequested task, TaskRendition rendition, Path dir, List<CompletableFuture<Void>> stored)
            throws IOException, TranscodeException {
        Path playlistFile = dir.resolve(ObjectKeys.PLAYLIST);
        if (!Files.exists(playlistFile)) {
            throw new TranscodeException("ffmpeg wrote no playlist for " + rendition.name());
        }
        MediaPlaylist playlist = MediaPlaylist.parse(Files.readString(playlistFile));
        List<MediaPlaylist.Segment> segments = playlist.segments();
        if (!playlist.complete() || segments.isEmpty() || playlist.initUri() == null) {
            throw new TranscodeException("the playlist of " + rendition.name() + " is incomplete");
        }
        if (!task.audio() && segments.size() != task.cuts().size()) {
            throw new TranscodeException(String.format("%s: made %d segments where %d were planned (keyframes of the original "
                    + "are not where its index says?)", rendition.name(), segments.size(), task.cuts().size()));
        }
        String expectedFirst = String.format(FfmpegCommand.SEGMENT_PATTERN, task.firstSegment());
        if (!segments.getFirst().uri().equals(expectedFirst)) {
            throw new TranscodeException("the first segment of " + rendition.name() + " is " + segments.getFirst().uri()
                    + ", not " + expectedFirst);
        }
        byte[] init = Files.readAllBytes(dir.resolve(playlist.initUri()));
        String codecs = task.audio() ? Codecs.AAC_LC : Codecs.of(dir.resolve(playlist.initUri()));
        String digest = Fmp4.sampleDescriptionDigest(init);
        boolean first = task.start() == task.videoStart();
        long shift = 0;
        if (!first) {
            long timescale = Fmp4.timescale(init);
            shift = new TimeBase(task.timeBaseNum(), task.timeBaseDen()).rescale(task.start() - task.videoStart(), timescale);
            long localStart = Fmp4.firstDecodeTime(Files.readAllBytes(dir.resolve(segments.getFirst().uri())));
            if (localStart != 0) {
                throw new TranscodeException("the chunk's timeline starts at " + localStart + ", not 0: cannot place it");
            }
        }
        List<ChunkSegment> done = new ArrayList<>();
        for (MediaPlaylist.Segment segment : segments) {
            Path file = dir.resolve(segment.uri());
            if (shift != 0) {
                Files.write(file, Fmp4.shift(Files.readAllBytes(file), shift, Fmp4.timescale(init)));
            }
            int number = Integer.parseInt(segment.uri().substring(4, 9));
            done.add(new ChunkSegment(number, segment.durationSeconds(), Files.size(file)));
            stored.add(put(ObjectKeys.renditionFile(task.videoId(), rendition.name(), segment.uri()), file, SEGMENT_TYPE));
        }
        if (first || task.audio()) {
            stored.add(put(ObjectKeys.renditionFile(task.videoId(), rendition.name(), ObjectKeys.INIT),
                    dir.resolve(playlist.initUri()), INIT_TYPE));
        }
        return new ChunkOutput(rendition.name(), codecs, digest, done);
    }

    /**
     * Checks that ffmpeg kept exactly the planned tiles' frames and starts storing them under their numbers (a redone
     * task overwrites the same keys). Shared with the planning worker's own tiles ({@link Intake}).
     */
    static List<Path> tileFiles(StoryboardTiles tiles, Path dir) throws IOException, TranscodeException {
        List<Path> files = new ArrayList<>();
        for (int n : tiles.numbers()) {
            Path file = dir.resolve(String.format(ObjectKeys.TILE_PATTERN, n));
            if (!Files.isRegularFile(file) || Files.size(file) == 0) {
                throw new TranscodeException("storyboard tile " + n + " (frame " + tiles.frames().get(n - tiles.first())
                        + ") was not made: the original's frames are not where its index says?");
            }
            files.add(file);
        }
        try (var listing = Files.list(dir)) {
            if (listing.count() != files.size()) {
                throw new TranscodeException("ffmpeg made other storyboard tiles than the " + files.size() + " planned");
            }
        }
        return files;
    }

    private void storeTiles(String videoId, StoryboardTiles tiles, Path dir, List<CompletableFuture<Void>> stored)
            throws IOException, TranscodeException {
        List<Path> files = tileFiles(tiles, dir);
        for (int i = 0; i < files.size(); i++) {
            stored.add(put(ObjectKeys.storyboardTile(videoId, tiles.first() + i), files.get(i), StoryboardStore.JPEG));
        }
    }

    private CompletableFuture<Void> put(String key, Path file, String contentType) {
        return CompletableFuture.runAsync(() -> {
            try {
                bytesWritten.accept(storage.putFile(key, file, contentType));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, uploads);
    }

    private static void awaitAll(List<CompletableFuture<Void>> futures) throws IOException {
        try {
            RenditionUploader.awaitAll(futures);
        } finally {
            futures.forEach(f -> f.handle((ok, error) -> null).join()); // none runs after the scratch folder is gone
        }
    }
}
