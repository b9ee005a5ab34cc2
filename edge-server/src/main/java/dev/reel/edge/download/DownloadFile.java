package dev.reel.edge.download;

import dev.reel.events.Rendition;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A download URL: {@code /v/<videoId>/download/<rendition>.mp4} (a progressive MP4 of one rung) or
 * {@code /v/<videoId>/download/audio.m4a} (the audio alone).
 *
 * @param videoId   the video
 * @param rendition the rung for an MP4, or {@code null} for the audio
 */
public record DownloadFile(String videoId, String rendition) {

    public static final String AUDIO = "audio.m4a";
    private static final String ID = "[A-Za-z0-9_-]{1,128}";
    private static final Pattern PATH = Pattern.compile("/v/(" + ID + ")/download/(?:(" + ID + ")\\.mp4|audio\\.m4a)");

    public static Optional<DownloadFile> parse(String path) {
        Matcher m = PATH.matcher(path);
        return m.matches() ? Optional.of(new DownloadFile(m.group(1), m.group(2))) : Optional.empty();
    }

    /** Whether a path is below some video's {@code download/}: a download URL or a wrong one, never another route. */
    public static boolean isDownloadPath(String path) {
        int afterVideo = path.indexOf('/', 3);
        return path.startsWith("/v/") && afterVideo > 3 && path.startsWith("/download/", afterVideo);
    }

    /**
     * What the M4A is made from: the audio rendition (none while it grows), else, for a ladder whose audio is muxed,
     * the top of {@code videoRungs} (complete, lowest first), which has the best audio; {@code null} when none is ready.
     */
    static Rendition audioSource(Rendition audio, List<Rendition> videoRungs) {
        if (audio != null) {
            return audio.growing() ? null : audio;
        }
        return videoRungs.isEmpty() ? null : videoRungs.getLast();
    }

    public boolean isAudio() {
        return rendition == null;
    }

    /** The file name under the video's downloads: {@code 720p.mp4} or {@code audio.m4a}. */
    public String fileName() {
        return isAudio() ? AUDIO : rendition + ".mp4";
    }

    public String contentType() {
        return isAudio() ? "audio/mp4" : "video/mp4";
    }
}
