package dev.reel.edge.download;

import dev.reel.events.Rendition;
import dev.reel.events.objects.ObjectKeys;
import dev.reel.service.storage.ObjectInfo;
import dev.reel.service.storage.ObjectStorage;
import dev.reel.service.storage.StorageException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a download once and stores it: ffmpeg remuxes the rendition's stored fMP4 (its init segment and media segments,
 * fed in order on stdin: together they are one fragmented MP4) into a progressive MP4 with the index at the front
 * ({@code -movflags +faststart}, so a player starts before the end arrives), or takes its audio track alone into an
 * M4A. Streams are copied ({@code -c copy}): nothing is re-encoded. ffmpeg writes a local scratch file; only a
 * complete file is stored (one PUT, or a multipart upload S3 shows only once completed), so a failed or interrupted
 * make leaves nothing in storage, and the next request makes it again.
 *
 * <p>A stored download is found by its key ({@link ObjectKeys#download}) and never made again. Concurrent requests for
 * one download on this edge share one make (the front door hashes a URL to one edge, so usually on the fleet too); at
 * most {@code concurrency} makes run at once.
 */
public final class DownloadMaker {

    private static final Logger log = LoggerFactory.getLogger(DownloadMaker.class);
    private static final int STDERR_TAIL = 2000;

    private final ObjectStorage storage;
    private final String ffmpeg;
    private final Path scratch;
    private final Duration timeout;
    private final Semaphore slots;
    private final Executor executor;
    private final ConcurrentHashMap<String, CompletableFuture<ObjectInfo>> inFlight = new ConcurrentHashMap<>();
    private final Counter made;
    private final Counter failed;
    private final Timer makeTime;

    public DownloadMaker(ObjectStorage storage, String ffmpeg, Path scratch, int concurrency, Duration timeout,
            Executor executor, MeterRegistry registry) {
        this.storage = storage;
        this.ffmpeg = ffmpeg;
        this.scratch = scratch;
        this.timeout = timeout;
        this.slots = new Semaphore(concurrency);
        this.executor = executor;
        this.made = Counter.builder("reel.edge.downloads.made").description("downloads remuxed and stored").register(registry);
        this.failed = Counter.builder("reel.edge.downloads.failed").description("makes that failed").register(registry);
        this.makeTime = Timer.builder("reel.edge.downloads.make.duration").register(registry);
    }

    /**
     * The stored download, made first if it is not stored yet.
     *
     * @param source   the complete rendition it is made from (for the audio: the audio rendition, or the rung with the
     *                 best audio when the audio is muxed)
     * @param audio    the video's demuxed audio rendition to add to a video-only rung's MP4, or {@code null}
     * @param duration the source's duration: the file ends there (an AAC encode is padded to whole frames, a few
     *                 hundredths of a second longer, which the segments carry; the file does not)
     * @return completes with the stored object; exceptionally with a {@link StorageException} (storage), or a
     *         {@link DownloadFailedException} (the remux failed)
     */
    public CompletableFuture<ObjectInfo> ensure(DownloadFile file, Rendition source, Rendition audio, double duration) {
        String key = ObjectKeys.download(file.videoId(), file.fileName());
        CompletableFuture<ObjectInfo> result = new CompletableFuture<>();
        CompletableFuture<ObjectInfo> running = inFlight.putIfAbsent(key, result);
        if (running != null) {
            return running;
        }
        executor.execute(() -> {
            try {
                ObjectInfo info = storage.stat(key).orElse(null);
                if (info == null) {
                    info = makeAndStore(file, source, file.isAudio() ? null : audio, duration, key);
                }
                inFlight.remove(key, result);
                result.complete(info);
            } catch (Throwable e) {
                inFlight.remove(key, result);
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private ObjectInfo makeAndStore(DownloadFile file, Rendition source, Rendition audio, double duration, String key)
            throws Exception {
        slots.acquire();
        Path out = null;
        Path audioIn = null;
        long started = System.nanoTime();
        try {
            Files.createDirectories(scratch);
            out = Files.createTempFile(scratch, file.videoId() + "-", "-" + file.fileName());
            if (audio != null) {
                // ffmpeg reads the video on stdin; the audio (a small fraction of the bytes) from a scratch file beside it
                audioIn = Files.createTempFile(scratch, file.videoId() + "-", "-audio.mp4");
                try (OutputStream audioFile = Files.newOutputStream(audioIn)) {
                    writeRendition(audioFile, audio);
                } catch (UncheckedIOException e) {
                    throw e.getCause(); // storage's answer, which the caller tells apart from a failed remux
                }
            }
            remux(file, source, audioIn, duration, out);
            storage.putFile(key, out, file.contentType());
            ObjectInfo info = storage.stat(key).orElseThrow(() -> new StorageException(StorageException.Kind.NOT_FOUND,
                    key + " not found right after it was stored", null));
            made.increment();
            makeTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            log.info("download {} made from {} in {} ms: {} bytes", key, source.name(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), info.size());
            return info;
        } catch (Exception e) {
            failed.increment();
            log.warn("download {} not made: {}", key, e.toString());
            throw e;
        } finally {
            slots.release();
            if (out != null) {
                Files.deleteIfExists(out);
            }
            if (audioIn != null) {
                Files.deleteIfExists(audioIn);
            }
        }
    }

    /**
     * ffmpeg's command: read fMP4 from stdin (and a demuxed audio rendition from {@code audioIn}, if not {@code null}),
     * copy the streams up to the source's end, write the index first.
     */
    List<String> command(DownloadFile file, Path audioIn, double duration, Path out) {
        List<String> cmd = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-f", "mp4", "-i",
                "pipe:0"));
        if (audioIn != null) {
            cmd.addAll(List.of("-f", "mp4", "-i", audioIn.toString()));
        }
        if (file.isAudio()) {
            cmd.addAll(List.of("-map", "0:a:0", "-c", "copy", "-movflags", "+faststart", "-f", "ipod"));
        } else if (audioIn != null) {
            cmd.addAll(List.of("-map", "0:v:0", "-map", "1:a:0", "-c", "copy", "-movflags", "+faststart", "-f", "mp4"));
        } else {
            cmd.addAll(List.of("-map", "0", "-c", "copy", "-movflags", "+faststart", "-f", "mp4"));
        }
        cmd.addAll(List.of("-t", String.format(Locale.ROOT, "%.3f", duration)));
        cmd.add(out.toString());
        return cmd;
    }

    private void remux(DownloadFile file, Rendition source, Path audioIn, double duration, Path out) throws Exception {
        Process process = new ProcessBuilder(command(file, audioIn, duration, out))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> tail(process), executor);
        CompletableFuture<Void> feed = CompletableFuture.runAsync(() -> feed(process, source), executor);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new DownloadFailedException("ffmpeg took longer than " + timeout);
            }
            try {
                feed.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof UncheckedIOException io && io.getCause() instanceof StorageException storageFailure) {
                    throw storageFailure;
                }
                throw new DownloadFailedException("feeding ffmpeg failed: " + e.getCause());
            }
            if (process.exitValue() != 0) {
                throw new DownloadFailedException("ffmpeg exited with " + process.exitValue() + ": " + stderr.join());
            }
        } finally {
            process.destroyForcibly();
        }
    }

    /** The rendition on ffmpeg's stdin. */
    private void feed(Process process, Rendition source) {
        try (OutputStream stdin = process.getOutputStream()) {
            writeRendition(stdin, source);
        } catch (IOException e) {
            // ffmpeg went away (its exit status says why)
        }
    }

    /** The rendition's init segment, then every media segment in order: one fragmented MP4. */
    private void writeRendition(OutputStream out, Rendition rendition) throws IOException {
        String prefix = rendition.playlistKey().substring(0, rendition.playlistKey().lastIndexOf('/') + 1);
        out.write(object(prefix + ObjectKeys.INIT));
        for (int n = 1; n <= rendition.segmentCount(); n++) {
            out.write(object(prefix + String.format(Locale.ROOT, "seg-%05d.m4s", n)));
        }
    }

    private byte[] object(String key) {
        try {
            return storage.read(key).orElseThrow(() -> new StorageException(StorageException.Kind.NOT_FOUND,
                    "no object " + key, null)).bytes();
        } catch (StorageException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(Process process) {
        try {
            String text = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return text.length() <= STDERR_TAIL ? text : text.substring(text.length() - STDERR_TAIL);
        } catch (IOException e) {
            return "";
        }
    }

    /** The remux failed (ffmpeg's exit status and the tail of its messages), not storage. */
    public static final class DownloadFailedException extends Exception {
        public DownloadFailedException(String message) {
            super(message);
        }
    }
}
