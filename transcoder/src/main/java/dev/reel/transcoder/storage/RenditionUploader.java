package dev.reel.transcoder.storage;

import dev.reel.events.Rendition;
import dev.reel.events.objects.ObjectKeys;
import dev.reel.service.storage.ObjectStorage;
import dev.reel.transcoder.ffmpeg.TranscodeException;
import dev.reel.transcoder.ladder.Codecs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.LongConsumer;

/**
 * Moves one job's renditions from ffmpeg's output folder to object storage while ffmpeg still runs.
 *
 * <p>ffmpeg rewrites each rendition's playlist (atomically) whenever it has closed a segment, so the playlist names
 * exactly the finished segments: {@link #uploadCompletedSegments()} sends those, and the init segment with the first.
 * While ffmpeg runs, {@link #storeGrowing} stores an {@code EVENT} playlist of the segments already in storage (a
 * player that reads it finds every segment it names). When ffmpeg has exited, {@link #finish} sends what is left of
 * a rendition and then its final {@code VOD} playlist.
 *
 * <p>Used by the job's thread only.
 */
public final class RenditionUploader {

    private static final String SEGMENT_TYPE = "video/iso.segment";
    private static final String INIT_TYPE = "video/mp4";
    private static final String PLAYLIST_TYPE = "application/vnd.apple.mpegurl";

    /** What is stored of a rendition, counted from its start: a player may begin with this much. */
    public record Stored(int segments, double seconds) {
    }

    /** The uploads of one rendition. */
    private static final class Uploads {
        final Map<String, CompletableFuture<Void>> byName = new HashMap<>(); // segment or init file name as stored
        final List<CompletableFuture<Void>> all = new ArrayList<>();
        MediaPlaylist playlist; // ffmpeg's, as last read; null until it wrote one
    }

    private final ObjectStorage storage;
    private final LongConsumer bytesWritten;
    private final String videoId;
    private final Path outputDir;
    private final Executor uploads;
    private final int targetDuration;
    private final Map<String, Uploads> renditions = new LinkedHashMap<>();

    /**
     * @param bytesWritten   told the size of every object stored (the bytes-written metric)
     * @param renditions     the renditions ffmpeg writes, each into the folder of its name
     * @param targetDuration every stored playlist's {@code EXT-X-TARGETDURATION}, fixed from the plan
     */
    public RenditionUploader(ObjectStorage storage, LongConsumer bytesWritten, String videoId, Path outputDir,
            List<OutputRendition> renditions, Executor uploads, int targetDuration) {
        this.storage = storage;
        this.bytesWritten = bytesWritten;
        this.videoId = videoId;
        this.outputDir = outputDir;
        this.uploads = uploads;
        this.targetDuration = targetDuration;
        for (OutputRendition r : renditions) {
            this.renditions.put(r.name(), new Uploads());
        }
    }

    /** Starts uploading every segment ffmpeg has finished and that is not on its way yet. */
    public void uploadCompletedSegments() throws IOException {
        for (String rendition : renditions.keySet()) {
            Path playlistFile = outputDir.resolve(rendition).resolve(ObjectKeys.PLAYLIST);
            if (Files.exists(playlistFile)) {
                MediaPlaylist playlist = MediaPlaylist.parse(Files.readString(playlistFile));
                renditions.get(rendition).playlist = playlist;
                submitSegments(rendition, playlist);
            }
        }
    }

    /** The segments of a rendition stored so far without a gap from its first (ffmpeg's order). */
    public Stored stored(String rendition) {
        Uploads r = renditions.get(rendition);
        if (r.playlist == null || !succeeded(r.byName.get(ObjectKeys.INIT))) {
            return new Stored(0, 0);
        }
        int segments = 0;
        double seconds = 0;
        for (MediaPlaylist.Segment segment : r.playlist.segments()) {
            if (!succeeded(r.byName.get(segment.uri()))) {
                break;
            }
            segments++;
            seconds += segment.durationSeconds();
        }
        return new Stored(segments, seconds);
    }

    /**
     * While ffmpeg runs: stores a rendition's playlist as an {@code EVENT} playlist of its {@link #stored} segments,
     * and describes the rendition as growing, with the bit rates measured on those segments.
     */
    public Rendition storeGrowing(OutputRendition planned) throws IOException {
        Stored stored = stored(planned.name());
        if (stored.segments() == 0) {
            throw new IllegalStateException("no segment of " + planned.name() + " is stored yet");
        }
        MediaPlaylist playlist = renditions.get(planned.name()).playlist.firstSegments(stored.segments());
        return storePlaylist(planned, playlist);
    }

    /**
     * After ffmpeg exited successfully: stores the rest of a rendition, waits for all of its uploads, then stores its
     * final {@code VOD} playlist, and describes the complete rendition with the bit rates measured on the segments.
     */
    public Rendition finish(OutputRendition planned) throws IOException, TranscodeException {
        String name = planned.name();
        Path playlistFile = outputDir.resolve(name).resolve(ObjectKeys.PLAYLIST);
        if (!Files.exists(playlistFile)) {
            throw new TranscodeException("ffmpeg wrote no playlist for " + name);
        }
        MediaPlaylist playlist = MediaPlaylist.parse(Files.readString(playlistFile));
        if (!playlist.complete() || playlist.segments().isEmpty() || playlist.initUri() == null) {
            throw new TranscodeException("the playlist of " + name + " is incomplete");
        }
        submitSegments(name, playlist);
        awaitAll(renditions.get(name).all);
        return storePlaylist(planned, playlist);
    }

    /** Whether a rendition's stored playlist is a final one (an earlier attempt completed it). */
    public boolean hasFinalPlaylist(String rendition) throws IOException {
        return storage.readText(ObjectKeys.renditionFile(videoId, rendition, ObjectKeys.PLAYLIST))
                .map(text -> MediaPlaylist.parse(text).complete()).orElse(false);
    }

    /** Stores the poster ffmpeg wrote; returns its key. */
    public String storePoster(Path poster) throws IOException, TranscodeException {
        if (!Files.exists(poster) || Files.size(poster) == 0) {
            throw new TranscodeException("ffmpeg wrote no poster");
        }
        String key = ObjectKeys.poster(videoId);
        bytesWritten.accept(storage.putFile(key, poster, "image/jpeg"));
        return key;
    }

    /** Waits for every upload started so far, so none runs after the job gave up its scratch folder. */
    public void drain() {
        for (Uploads r : renditions.values()) {
            for (CompletableFuture<Void> future : r.all) {
                future.handle((ok, error) -> null).join();
            }
        }
    }

    private Rendition storePlaylist(OutputRendition planned, MediaPlaylist playlist) throws IOException {
        String name = planned.name();
        Path dir = outputDir.resolve(name);
        String key = ObjectKeys.renditionFile(videoId, name, ObjectKeys.PLAYLIST);
        byte[] text = playlist.storedText(ObjectKeys.INIT, targetDuration).getBytes(StandardCharsets.UTF_8);
        storage.put(key, text, PLAYLIST_TYPE);
        bytesWritten.accept(text.length);
        BitRates rates = BitRates.measure(dir, playlist);
        String codecs = planned.isAudio() ? Codecs.AAC_LC : Codecs.of(dir.resolve(playlist.initUri()));
        return new Rendition(name, planned.width(), planned.height(), rates.peak(), rates.average(), codecs,
                planned.frameRate(), key, playlist.segments().size(), playlist.durationSeconds(), !playlist.complete(),
                planned.kind(), planned.interim());
    }

    private void submitSegments(String rendition, MediaPlaylist playlist) throws IOException {
        if (playlist.segments().isEmpty()) {
            return;
        }
        submitInit(rendition, playlist);
        for (MediaPlaylist.Segment segment : playlist.segments()) {
            submit(rendition, outputDir.resolve(rendition).resolve(segment.uri()), segment.uri(), SEGMENT_TYPE);
        }
    }

    /** The init segment is complete once ffmpeg has closed the first media segment. */
    private void submitInit(String rendition, MediaPlaylist playlist) throws IOException {
        if (renditions.get(rendition).byName.containsKey(ObjectKeys.INIT)) {
            return;
        }
        String initUri = playlist.initUri();
        if (initUri == null) {
            throw new IOException("ffmpeg's playlist of " + rendition + " names no init segment");
        }
        submit(rendition, outputDir.resolve(rendition).resolve(initUri), ObjectKeys.INIT, INIT_TYPE);
    }

    private void submit(String rendition, Path file, String name, String contentType) {
        Uploads r = renditions.get(rendition);
        if (r.byName.containsKey(name)) {
            return;
        }
        String key = ObjectKeys.renditionFile(videoId, rendition, name);
        CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> {
            try {
                bytesWritten.accept(storage.putFile(key, file, contentType));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, uploads);
        r.byName.put(name, upload);
        r.all.add(upload);
    }

    private static boolean succeeded(CompletableFuture<Void> upload) {
        return upload != null && upload.isDone() && !upload.isCompletedExceptionally();
    }

    /** Waits for every one of {@code futures}; the first failure is thrown as the {@link IOException} it carried. */
    public static void awaitAll(List<CompletableFuture<Void>> futures) throws IOException {
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause();
            throw cause instanceof IOException io ? io : new IOException(cause);
        }
    }
}
