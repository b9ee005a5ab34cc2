package dev.reel.transcoder.storage;

import dev.reel.events.Rendition;
import dev.reel.transcoder.ffmpeg.FfmpegCommand;
import dev.reel.transcoder.ffmpeg.TranscodeException;
import dev.reel.transcoder.ladder.Codecs;
import dev.reel.transcoder.ladder.PlannedRendition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Moves one job's renditions from ffmpeg's output folder to object storage while ffmpeg still runs.
 *
 * <p>ffmpeg writes one segment file at a time per rendition and opens segment N+1 only after it closed N, so every
 * segment but the newest of a rendition is complete: {@link #uploadCompletedSegments()} sends those (the init
 * segment is complete once the first media segment is). When ffmpeg has exited, {@link #finish} sends what is
 * left of a rendition, the playlist last, so a player that finds the playlist finds every segment it names.
 *
 * <p>Used by the job's thread only.
 */
public final class RenditionUploader {

    private static final Pattern SEGMENT_FILE = Pattern.compile("seg-\\d{5}\\.m4s");
    private static final String SEGMENT_TYPE = "video/iso.segment";
    private static final String INIT_TYPE = "video/mp4";
    private static final String PLAYLIST_TYPE = "application/vnd.apple.mpegurl";

    private final ObjectStore store;
    private final String videoId;
    private final Path outputDir;
    private final Executor uploads;
    private final Map<String, Set<String>> submitted = new HashMap<>();
    private final Map<String, List<CompletableFuture<Void>>> pending = new HashMap<>();

    public RenditionUploader(ObjectStore store, String videoId, Path outputDir, List<PlannedRendition> renditions, Executor uploads) {
        this.store = store;
        this.videoId = videoId;
        this.outputDir = outputDir;
        this.uploads = uploads;
        for (PlannedRendition r : renditions) {
            submitted.put(r.name(), new HashSet<>());
            pending.put(r.name(), new ArrayList<>());
        }
    }

    /** Starts uploading every segment ffmpeg has finished and that is not on its way yet. */
    public void uploadCompletedSegments() throws IOException {
        for (String rendition : submitted.keySet()) {
            List<String> segments = segmentFiles(rendition);
            // the newest one may still be written
            for (String segment : segments.subList(0, Math.max(0, segments.size() - 1))) {
                submit(rendition, segment);
            }
            if (segments.size() > 1) {
                submitInit(rendition);
            }
        }
    }

    /**
     * After ffmpeg exited successfully: stores the rest of a rendition, waits for all of its uploads, then stores its
     * playlist, and describes it with the bit rates measured on the segments.
     */
    public Rendition finish(PlannedRendition planned, boolean audio) throws IOException, TranscodeException {
        String name = planned.name();
        Path dir = outputDir.resolve(name);
        Path playlistFile = dir.resolve("index.m3u8");
        if (!Files.exists(playlistFile)) {
            throw new TranscodeException("ffmpeg wrote no playlist for " + name);
        }
        MediaPlaylist playlist = MediaPlaylist.parse(Files.readString(playlistFile));
        if (!playlist.complete() || playlist.segments().isEmpty() || playlist.initUri() == null) {
            throw new TranscodeException("the playlist of " + name + " is incomplete");
        }
        for (MediaPlaylist.Segment segment : playlist.segments()) {
            submit(name, segment.uri());
        }
        submitInit(name);
        awaitAll(pending.get(name));
        String key = ObjectKeys.renditionFile(videoId, name, ObjectKeys.PLAYLIST);
        store.putBytes(playlist.withInit(ObjectKeys.INIT).getBytes(StandardCharsets.UTF_8), key, PLAYLIST_TYPE);

        BitRates rates = BitRates.measure(dir, playlist);
        return new Rendition(name, planned.width(), planned.height(), rates.peak(), rates.average(),
                Codecs.of(dir.resolve(playlist.initUri()), audio), planned.frameRate(), key,
                playlist.segments().size(), playlist.durationSeconds());
    }

    /** Stores the poster ffmpeg wrote; returns its key. */
    public String storePoster() throws IOException, TranscodeException {
        Path poster = outputDir.resolve(FfmpegCommand.POSTER);
        if (!Files.exists(poster) || Files.size(poster) == 0) {
            throw new TranscodeException("ffmpeg wrote no poster");
        }
        String key = ObjectKeys.poster(videoId);
        store.putFile(poster, key, "image/jpeg");
        return key;
    }

    /** Waits for every upload started so far, so none runs after the job gave up its scratch folder. */
    public void drain() {
        for (List<CompletableFuture<Void>> futures : pending.values()) {
            for (CompletableFuture<Void> future : futures) {
                future.handle((ok, error) -> null).join();
            }
        }
    }

    private List<String> segmentFiles(String rendition) throws IOException {
        Path dir = outputDir.resolve(rendition);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            // zero-padded names sort in segment order
            return files.map(p -> p.getFileName().toString()).filter(n -> SEGMENT_FILE.matcher(n).matches()).sorted().toList();
        }
    }

    private void submitInit(String rendition) throws IOException {
        if (submitted.get(rendition).contains(ObjectKeys.INIT)) {
            return;
        }
        Path dir = outputDir.resolve(rendition);
        Path init;
        try (Stream<Path> files = Files.list(dir)) {
            init = files.filter(p -> p.getFileName().toString().matches("init(_\\d+)?\\.mp4")).findFirst()
                    .orElseThrow(() -> new IOException("ffmpeg wrote no init segment for " + rendition));
        }
        submitted.get(rendition).add(ObjectKeys.INIT);
        upload(rendition, init, ObjectKeys.INIT, INIT_TYPE);
    }

    private void submit(String rendition, String segment) {
        if (submitted.get(rendition).add(segment)) {
            upload(rendition, outputDir.resolve(rendition).resolve(segment), segment, SEGMENT_TYPE);
        }
    }

    private void upload(String rendition, Path file, String name, String contentType) {
        String key = ObjectKeys.renditionFile(videoId, rendition, name);
        pending.get(rendition).add(CompletableFuture.runAsync(() -> {
            try {
                store.putFile(file, key, contentType);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, uploads));
    }

    private static void awaitAll(List<CompletableFuture<Void>> futures) throws IOException {
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause();
            throw cause instanceof IOException io ? io : new IOException(cause);
        }
    }
}
