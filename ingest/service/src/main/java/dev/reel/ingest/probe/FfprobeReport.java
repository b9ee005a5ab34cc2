package dev.reel.ingest.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.eclipse.jetty.http.HttpStatus;

/**
 * Reads ffprobe's verdict: its exit code, its JSON ({@code -show_format -show_streams -of json}) and its error
 * output. Pure, so every branch is unit-tested without a process.
 */
public final class FfprobeReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FfprobeReport() {
    }

    public static ProbeResult interpret(int exitCode, String json, String errors) {
        if (exitCode != 0) {
            return rejectFailedProbe(errors);
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            return new ProbeResult.Rejected(HttpStatus.UNPROCESSABLE_ENTITY_422, "the file could not be probed");
        }
        JsonNode video = null;
        JsonNode audio = null;
        for (JsonNode stream : root.path("streams")) {
            String type = stream.path("codec_type").asText();
            // A cover picture in an audio file is a "video" stream with the attached_pic disposition: not a video.
            boolean picture = stream.path("disposition").path("attached_pic").asInt() == 1;
            if (video == null && "video".equals(type) && !picture) {
                video = stream;
            } else if (audio == null && "audio".equals(type)) {
                audio = stream;
            }
        }
        if (video == null) {
            return new ProbeResult.Rejected(HttpStatus.UNPROCESSABLE_ENTITY_422, audio != null
                    ? "the file has no video stream (audio only)"
                    : "the file has no video stream");
        }
        int width = video.path("width").asInt();
        int height = video.path("height").asInt();
        String codec = video.path("codec_name").asText("");
        if (width <= 0 || height <= 0 || codec.isBlank()) {
            return new ProbeResult.Rejected(HttpStatus.UNPROCESSABLE_ENTITY_422,
                    "the video stream has no decodable picture size or codec");
        }
        double duration = positiveNumber(root.path("format").path("duration"));
        if (duration <= 0) {
            duration = positiveNumber(video.path("duration"));
        }
        if (duration <= 0) {
            return new ProbeResult.Rejected(HttpStatus.UNPROCESSABLE_ENTITY_422, "the video has no duration");
        }
        String audioCodec = audio == null ? null : audio.path("codec_name").asText(null);
        return new ProbeResult.Playable(new VideoFacts(duration, width, height, codec,
                audioCodec == null || audioCodec.isBlank() ? null : audioCodec), withoutInputName(root));
    }

    /** The answer as it is kept, without the input's name: the presigned URL ffprobe read, signature and all. */
    private static String withoutInputName(JsonNode root) {
        if (root.path("format") instanceof ObjectNode format) {
            format.remove("filename");
        }
        return root.toString();
    }

    private static ProbeResult rejectFailedProbe(String errors) {
        String text = errors == null ? "" : errors;
        if (text.contains("moov atom not found") || text.contains("partial file") || text.contains("End of file")) {
            return new ProbeResult.Rejected(HttpStatus.UNPROCESSABLE_ENTITY_422,
                    "the file is truncated or incomplete (" + firstLine(text) + ")");
        }
        if (text.contains("Invalid data found when processing input")) {
            return new ProbeResult.Rejected(HttpStatus.UNSUPPORTED_MEDIA_TYPE_415,
                    "the file is not a video in any format ffprobe knows");
        }
        return new ProbeResult.Rejected(HttpStatus.UNPROCESSABLE_ENTITY_422,
                "the file could not be read as a video (" + firstLine(text) + ")");
    }

    private static double positiveNumber(JsonNode node) {
        try {
            double value = Double.parseDouble(node.asText(""));
            return Double.isFinite(value) && value > 0 ? value : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The first line, with the presigned URL ffprobe may echo removed, so no signature leaks into a response. */
    private static String firstLine(String text) {
        String line = text.strip().lines().findFirst().orElse("no detail");
        return line.replaceAll("https?://\\S+", "<object>").replaceAll("\\[[a-z0-9_,]+ @ 0x[0-9a-f]+\\] ", "");
    }
}
