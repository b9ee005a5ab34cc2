package dev.reel.edge.it;

import dev.reel.events.Rendition;
import dev.reel.events.SourceFacts;
import dev.reel.events.VideoRecord;
import dev.reel.events.VideoState;
import dev.reel.events.Visibility;
import io.minio.MinioClient;
import io.minio.UploadObjectArgs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real 6 s fMP4 HLS ladder (240p, 360p; 2 s segments) made by ffmpeg, as the transcoder lays it out in storage,
 * and the {@link VideoRecord} catalog-streams would publish for it. Generated once per test JVM.
 */
final class HlsLadder {

    /** The owner of every test video (whose API key is {@code TestEdges.OWNER_KEY}). */
    static final String OWNER = "owner-1";
    static final List<String> RENDITIONS = List.of("240p", "360p");
    private static final Pattern STREAM_INF = Pattern.compile(
            "#EXT-X-STREAM-INF:BANDWIDTH=(\\d+)(?:,AVERAGE-BANDWIDTH=(\\d+))?,RESOLUTION=(\\d+)x(\\d+),CODECS=\"([^\"]+)\"\\s*\\n([^\\n]+)");

    private static HlsLadder shared;

    final Path dir;
    final List<Rendition> renditionsTemplate;

    private HlsLadder(Path dir, List<Rendition> renditionsTemplate) {
        this.dir = dir;
        this.renditionsTemplate = renditionsTemplate;
    }

    static synchronized HlsLadder get() throws Exception {
        if (shared == null) {
            shared = generate(Files.createDirectories(Path.of("target", "hls-ladder").toAbsolutePath()));
        }
        return shared;
    }

    private static HlsLadder generate(Path dir) throws Exception {
        Path out = dir.resolve("out");
        if (!Files.exists(out.resolve("master.m3u8"))) {
            Path src = dir.resolve("src.mp4");
            run(dir, "ffmpeg", "-y", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30:duration=6",
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=6",
                    "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", src.toString());
            run(dir, "ffmpeg", "-y", "-loglevel", "error", "-i", src.toString(),
                    "-filter_complex", "[0:v]split=2[a][b];[a]scale=-2:240[v240];[b]scale=-2:360[v360]",
                    "-map", "[v240]", "-map", "[v360]", "-map", "0:a", "-map", "0:a",
                    "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "main", "-pix_fmt", "yuv420p",
                    "-b:v:0", "300k", "-maxrate:v:0", "350k", "-bufsize:v:0", "600k",
                    "-b:v:1", "600k", "-maxrate:v:1", "700k", "-bufsize:v:1", "1200k",
                    "-g", "60", "-keyint_min", "60", "-sc_threshold", "0", "-force_key_frames", "expr:gte(t,n_forced*2)",
                    "-c:a", "aac", "-b:a", "64k", "-ac", "2", "-ar", "48000",
                    "-f", "hls", "-hls_time", "2", "-hls_playlist_type", "vod", "-hls_segment_type", "fmp4",
                    "-hls_flags", "independent_segments", "-start_number", "1",
                    "-hls_fmp4_init_filename", "init.mp4", "-hls_segment_filename", out + "/%v/seg-%05d.m4s",
                    "-master_pl_name", "master.m3u8",
                    "-var_stream_map", "v:0,a:0,name:240p v:1,a:1,name:360p", out + "/%v/index.m3u8");
            useAgreedInitName(out);
            run(dir, "ffmpeg", "-y", "-loglevel", "error", "-ss", "1", "-i", src.toString(), "-frames:v", "1",
                    out.resolve("thumb.jpg").toString());
        }
        String master = Files.readString(out.resolve("master.m3u8"));
        List<Rendition> renditions = new ArrayList<>();
        Matcher m = STREAM_INF.matcher(master);
        while (m.find()) {
            String name = m.group(6).substring(0, m.group(6).indexOf('/'));
            long bandwidth = Long.parseLong(m.group(1));
            long average = m.group(2) == null ? bandwidth : Long.parseLong(m.group(2));
            int segments;
            try (Stream<Path> files = Files.list(out.resolve(name))) {
                segments = (int) files.filter(p -> p.getFileName().toString().endsWith(".m4s")).count();
            }
            renditions.add(new Rendition(name, Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), bandwidth,
                    Math.min(average, bandwidth), m.group(5), 30, "media/VIDEO/" + name + "/index.m3u8", segments, 6.0, false));
        }
        if (renditions.size() != RENDITIONS.size()) {
            throw new IllegalStateException("ffmpeg's master playlist did not list " + RENDITIONS + ":\n" + master);
        }
        return new HlsLadder(dir, renditions);
    }

    /** ffmpeg names a variant's init segment init_N.mp4; Reel's layout (and the transcoder) call it init.mp4. */
    private static void useAgreedInitName(Path out) throws IOException {
        for (String rendition : RENDITIONS) {
            Path folder = out.resolve(rendition);
            try (Stream<Path> files = Files.list(folder)) {
                for (Path init : files.filter(p -> p.getFileName().toString().matches("init_\\d+\\.mp4")).toList()) {
                    Files.move(init, folder.resolve("init.mp4"));
                    Path playlist = folder.resolve("index.m3u8");
                    Files.writeString(playlist, Files.readString(playlist).replace(init.getFileName().toString(), "init.mp4"));
                }
            }
        }
    }

    Path file(String rendition, String name) {
        return dir.resolve("out").resolve(rendition).resolve(name);
    }

    int segmentCount(String rendition) {
        return renditionsTemplate.stream().filter(r -> r.name().equals(rendition)).findFirst().orElseThrow().segmentCount();
    }

    /** Uploads the ladder and the poster under {@code media/<videoId>/} with the agreed keys. */
    void upload(MinioClient client, String bucket, String videoId) throws Exception {
        for (String rendition : RENDITIONS) {
            try (Stream<Path> files = Files.list(dir.resolve("out").resolve(rendition))) {
                for (Path file : files.toList()) {
                    put(client, bucket, "media/" + videoId + "/" + rendition + "/" + file.getFileName(), file);
                }
            }
        }
        put(client, bucket, "media/" + videoId + "/thumb.jpg", dir.resolve("out").resolve("thumb.jpg"));
    }

    private static void put(MinioClient client, String bucket, String key, Path file) throws Exception {
        client.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(key).filename(file.toString()).build());
    }

    /** The catalog record of an uploaded copy: the given renditions ready, in the given state. */
    VideoRecord record(String videoId, String title, Visibility visibility, VideoState state, int readyRenditions, long version) {
        List<Rendition> ready = renditionsTemplate.subList(0, readyRenditions).stream()
                .map(r -> new Rendition(r.name(), r.width(), r.height(), r.bandwidth(), r.averageBandwidth(), r.codecs(),
                        r.frameRate(), "media/" + videoId + "/" + r.name() + "/index.m3u8", r.segmentCount(), r.durationSeconds(),
                        false))
                .toList();
        Instant now = Instant.now();
        Map<VideoState, Instant> transitions = new EnumMap<>(VideoState.class);
        transitions.put(VideoState.UPLOADED, now);
        transitions.put(state, now);
        return new VideoRecord(videoId, title, "A test pattern <b>with</b> a tone.", visibility, OWNER,
                new SourceFacts(1000, "0".repeat(64), 6.0, 640, 360, "h264", "aac", "originals/" + videoId + "/source",
                        "src.mp4"),
                state, state == VideoState.READY ? 100 : 50, null, ready,
                state == VideoState.READY ? "media/" + videoId + "/thumb.jpg" : null,
                transitions, now, version);
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(
                    String.join(" ", command) + " failed (is ffmpeg installed? apt-get install ffmpeg):\n" + output);
        }
    }
}
