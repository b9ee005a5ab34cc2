package dev.reel.transcoder.ffmpeg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Asks ffprobe what an original is: displayed size, frame rate, audio, duration. */
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
    public SourceInfo probe(String input) throws TranscodeException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ffprobe, "-v", "error", "-print_format", "json", "-show_streams",
                "-show_format"));
        if (input.startsWith("http://") || input.startsWith("https://")) {
            command.addAll(List.of("-rw_timeout", "30000000")); // a stalled store fails the probe (microseconds)
        }
        command.add(input);
        String output = run(command);
        JsonNode root;
        try {
            root = JSON.readTree(output);
        } catch (IOException e) {
            throw new TranscodeException("ffprobe answered something that is not JSON: " + e.getMessage(), e);
        }
        JsonNode video = null;
        boolean audio = false;
        for (JsonNode stream : root.path("streams")) {
            String type = stream.path("codec_type").asText();
            // An attached picture (cover art) is a video stream with one frame: not the video.
            if ("video".equals(type) && video == null && stream.path("disposition").path("attached_pic").asInt() == 0) {
                video = stream;
            } else if ("audio".equals(type)) {
                audio = true;
            }
        }
        if (video == null) {
            throw new TranscodeException("ffprobe found no video stream");
        }
        return toSourceInfo(video, audio, root.path("format").path("duration").asDouble(0));
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
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
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

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
