package dev.reel.transcoder.ffmpeg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Asks ffprobe what an original is: its streams (displayed size, frame rate, codecs, profiles, audio, duration) and,
 * separately, its video packets from the container's index (timestamps, sizes, keyframes), without decoding.
 */
public final class SourceProbe {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String ffprobe;

    public SourceProbe(String ffprobe) {
        this.ffprobe = ffprobe;
    }

    /**
     * @param input a local path or a URL ffprobe can read (a presigned GET URL)
     * @throws TranscodeException if ffprobe fails or finds no video stream
     */
    public ProbedSource probe(String input) throws TranscodeException, InterruptedException {
        return read(run(command(input, "-print_format", "json", "-show_streams", "-show_format")));
    }

    /**
     * The streams of an ffprobe answer to the same question ({@code -print_format json -show_streams -show_format}),
     * e.g. the one ingest stored beside the original.
     *
     * @throws TranscodeException if it is not such an answer, or finds no video stream
     */
    public static ProbedSource read(String json) throws TranscodeException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new TranscodeException("ffprobe answered something that is not JSON: " + e.getMessage(), e);
        }
        return describe(root);
    }

    /**
     * The packets of video stream {@code stream}, in decode order. For an MP4 or MOV, ffprobe reads them from the
     * index; it still reads through the file, at the speed of the store.
     */
    public VideoPackets packets(String input, VideoFacts video) throws TranscodeException, InterruptedException {
        return parsePackets(listPackets(input, Integer.toString(video.index())), video.timeBase());
    }

    /** ffprobe's packet listing of the streams {@code selector} picks, one {@code compact} line per packet. */
    private String listPackets(String input, String selector) throws TranscodeException, InterruptedException {
        return run(command(input, "-select_streams", selector, "-show_entries",
                "packet=stream_index,pts,dts,duration,size,flags", "-of", "compact=p=0"));
    }

    /**
     * Starts listing the packets of the first video stream that is not a picture (ffprobe's {@code V:0}: the stream
     * {@link #probe} picks) before the streams are known, so the two ffprobes run side by side (the listing reads
     * through the whole original). {@link #packets(String, VideoFacts, CompletableFuture)} reads it.
     */
    public CompletableFuture<String> startPacketListing(String input, Executor executor) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return listPackets(input, "V:0");
            } catch (TranscodeException e) {
                throw new CompletionException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CompletionException(e);
            }
        }, executor);
    }

    /**
     * The packets of video stream {@code video} from a listing {@link #startPacketListing started early}; listed again
     * for that stream if the early one failed or is of another stream.
     */
    public VideoPackets packets(String input, VideoFacts video, CompletableFuture<String> early)
            throws TranscodeException, InterruptedException {
        String listing;
        try {
            listing = early.get();
        } catch (ExecutionException e) {
            listing = ""; // its failure is found again, with its reason, by the listing below
        }
        if (!listing.startsWith("stream_index=" + video.index() + "|")) {
            return packets(input, video);
        }
        return parsePackets(listing, video.timeBase());
    }

    /** The streams of ffprobe's {@code -show_streams -show_format} JSON. */
    static ProbedSource describe(JsonNode root) throws TranscodeException {
        JsonNode video = null;
        JsonNode audio = null;
        for (JsonNode stream : root.path("streams")) {
            String type = stream.path("codec_type").asText();
            // An attached picture (cover art) is a video stream with one frame: not the video.
            if ("video".equals(type) && video == null && stream.path("disposition").path("attached_pic").asInt() == 0) {
                video = stream;
            } else if ("audio".equals(type) && audio == null) {
                audio = stream;
            }
        }
        if (video == null) {
            throw new TranscodeException("ffprobe found no video stream");
        }
        SourceInfo info = toSourceInfo(video, audio != null, root.path("format").path("duration").asDouble(0));
        VideoFacts videoFacts = new VideoFacts(video.path("index").asInt(), video.path("codec_name").asText(""),
                video.path("profile").asText(""), video.path("level").asInt(0), video.path("pix_fmt").asText(""),
                video.path("field_order").asText("unknown"), rotation(video),
                ratio(video.path("sample_aspect_ratio").asText("1:1"), 1.0), timeBase(video),
                video.path("start_time").asDouble(0));
        AudioFacts audioFacts = audio == null
                ? null
                : new AudioFacts(audio.path("index").asInt(), audio.path("codec_name").asText(""),
                        audio.path("profile").asText(""), audio.path("channels").asInt(0), audio.path("sample_rate").asInt(0),
                        audio.path("bit_rate").asLong(0), audio.path("start_time").asDouble(0));
        return new ProbedSource(info, videoFacts, audioFacts);
    }

    /** ffprobe's {@code -of compact=p=0} packet lines: {@code pts=0|dts=-1024|duration=512|size=61748|flags=K_}. */
    static VideoPackets parsePackets(String output, TimeBase timeBase) throws TranscodeException {
        List<long[]> rows = new ArrayList<>();
        long end = Long.MIN_VALUE;
        for (String line : output.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            long pts = Long.MIN_VALUE;
            long dts = Long.MIN_VALUE;
            long duration = 0;
            long size = 0;
            boolean key = false;
            for (String field : line.split("\\|")) {
                int eq = field.indexOf('=');
                String name = eq < 0 ? field : field.substring(0, eq);
                String value = eq < 0 ? "" : field.substring(eq + 1);
                switch (name) {
                    case "pts" -> pts = number(value, Long.MIN_VALUE);
                    case "dts" -> dts = number(value, Long.MIN_VALUE);
                    case "duration" -> duration = number(value, 0);
                    case "size" -> size = number(value, 0);
                    case "flags" -> key = value.startsWith("K");
                    default -> {
                        // not asked for
                    }
                }
            }
            long at = pts != Long.MIN_VALUE ? pts : dts;
            if (at == Long.MIN_VALUE) {
                continue; // a packet without any timestamp cannot be placed
            }
            rows.add(new long[]{at, size, key ? 1 : 0});
            end = Math.max(end, at + Math.max(0, duration));
        }
        if (rows.isEmpty()) {
            throw new TranscodeException("ffprobe listed no video packet with a timestamp");
        }
        long[] pts = new long[rows.size()];
        int[] sizes = new int[rows.size()];
        boolean[] keyframes = new boolean[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            pts[i] = rows.get(i)[0];
            sizes[i] = (int) rows.get(i)[1];
            keyframes[i] = rows.get(i)[2] == 1;
        }
        long last = Arrays.stream(pts).max().orElseThrow();
        return new VideoPackets(timeBase, pts, sizes, keyframes, Math.max(end, last + 1));
    }

    static SourceInfo toSourceInfo(JsonNode video, boolean audio, double formatDuration) throws TranscodeException {
        int width = video.path("width").asInt();
        int height = video.path("height").asInt();
        double sar = ratio(video.path("sample_aspect_ratio").asText("1:1"), 1.0);
        if (sar > 0 && Math.abs(sar - 1.0) > 1e-3) {
            width = (int) Math.round(width * sar); // anamorphic: the displayed width is what the ladder scales to
        }
        if (Math.abs(rotation(video)) % 180 == 90) {
            int swap = width;
            width = height;
            height = swap;
        }
        double frameRate = ratio(video.path("avg_frame_rate").asText(), 0);
        if (!(frameRate > 0)) {
            frameRate = ratio(video.path("r_frame_rate").asText(), 30);
        }
        double duration = formatDuration > 0 ? formatDuration : video.path("duration").asDouble(0);
        try {
            return new SourceInfo(width, height, frameRate, audio, duration);
        } catch (IllegalArgumentException e) {
            throw new TranscodeException("unusable source: " + e.getMessage(), e);
        }
    }

    private static TimeBase timeBase(JsonNode video) throws TranscodeException {
        try {
            return TimeBase.parse(video.path("time_base").asText("1/90000"));
        } catch (IllegalArgumentException e) {
            throw new TranscodeException("unusable source: video time base " + video.path("time_base").asText(), e);
        }
    }

    private static long number(String value, long fallback) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return fallback; // N/A
        }
    }

    private List<String> command(String input, String... options) {
        List<String> command = new ArrayList<>(List.of(ffprobe, "-v", "error"));
        command.addAll(List.of(options));
        if (input.startsWith("http://") || input.startsWith("https://")) {
            command.addAll(List.of("-rw_timeout", "30000000")); // a stalled store fails the probe (microseconds)
        }
        command.add(input);
        return command;
    }

    private static int rotation(JsonNode video) {
        for (JsonNode side : video.path("side_data_list")) {
            if (side.has("rotation")) {
                return side.path("rotation").asInt();
            }
        }
        return video.path("tags").path("rotate").asInt(0);
    }

    private static double ratio(String text, double fallback) {
        String[] parts = text.split("[:/]");
        try {
            if (parts.length == 2) {
                double denominator = Double.parseDouble(parts[1]);
                return denominator == 0 ? fallback : Double.parseDouble(parts[0]) / denominator;
            }
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private String run(List<String> command) throws TranscodeException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).start();
            process.getOutputStream().close(); // nothing to say on stdin
        } catch (IOException e) {
            throw new TranscodeException(
                    "cannot run " + ffprobe + " (is ffmpeg installed? apt-get install ffmpeg): " + e.getMessage(), e);
        }
        try {
            CompletableFuture<String> out = readOnItsOwnThread(process.getInputStream());
            CompletableFuture<String> err = readOnItsOwnThread(process.getErrorStream());
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new TranscodeException("ffprobe did not answer within " + TIMEOUT);
            }
            if (process.exitValue() != 0) {
                String stderr = err.join().strip();
                throw new TranscodeException("ffprobe failed: " + (stderr.isEmpty() ? "exit " + process.exitValue() : stderr));
            }
            return out.join();
        } finally {
            process.destroyForcibly();
        }
    }

    /**
     * Not CompletableFuture's default pool: that is the common ForkJoinPool, one thread on a 2-core machine, where the
     * two pipes of a probe (or of probes side by side) would be read one after the other and a full one would stall it.
     */
    private static CompletableFuture<String> readOnItsOwnThread(InputStream in) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread.ofVirtual().name("ffprobe-output").start(() -> text.complete(readAll(in)));
        return text;
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
