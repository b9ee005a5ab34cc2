package dev.reel.transcoder.plan;

import dev.reel.transcoder.ffmpeg.AudioFacts;
import dev.reel.transcoder.ffmpeg.ProbedSource;
import dev.reel.transcoder.ffmpeg.VideoFacts;
import dev.reel.transcoder.ffmpeg.VideoPackets;
import dev.reel.transcoder.ladder.PlannedRendition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Whether an original can be played as it is, in every browser, once copied into fMP4 HLS segments without decoding:
 * the first thing a worker then does is that copy, so the video plays seconds after its last byte, at full resolution.
 *
 * <p>What hls.js (Chromium, Firefox: Media Source Extensions) and Safari all play: H.264 with 8-bit 4:2:0 pictures,
 * progressive, square pixels, no rotation (a display matrix is not honoured by every MSE implementation), Constrained
 * Baseline, Main or High profile up to level 5.2, at most 60 frames per second; AAC-LC mono or stereo up to 48 kHz,
 * or no audio, starting within a frame of the video. On top of that, a copy is cut where the original has keyframes,
 * so segments are no longer than {@link Limits#maxSegmentSeconds()}; and its peak bit rate (measured per segment from
 * the packet sizes) is at most {@link Limits#maxPeakFactor()} times the peak of the ladder rung of its size, so that
 * a viewer who could stream that rung is not stalled.
 *
 * <p>A copy whose size is the ladder's top rung's and whose peak fits that rung's cap takes the rung's place ("kept"):
 * the rung is not encoded. Any other copy is interim: offered only until the encoded ladder is complete.
 *
 * @param obstacles why the original cannot be passed through; empty when it can
 * @param name      the rendition's name: the top rung's when kept, else {@value #INTERIM_NAME}
 * @param kept      whether it stands in for the top rung
 * @param peak      the copy's peak bit rate (bits/s) as cut by the plan
 */
public record Passthrough(List<String> obstacles, String name, boolean kept, long peak) {

    /** The name of an interim passthrough. */
    public static final String INTERIM_NAME = "source";

    private static final Set<String> PROFILES = Set.of("constrained baseline", "baseline", "main", "high");
    private static final Set<String> PIXEL_FORMATS = Set.of("yuv420p", "yuvj420p");
    private static final Set<String> PROGRESSIVE = Set.of("progressive", "unknown", "");
    private static final int MAX_LEVEL = 52;
    private static final double MAX_FRAME_RATE = 60.01;

    /**
     * @param maxSegmentSeconds the longest segment a copy may have: the bound on the original's keyframe distance
     * @param maxPeakFactor     how far a copy's peak may exceed the cap of the rung of its size
     */
    public record Limits(double maxSegmentSeconds, double maxPeakFactor) {
    }

    public Passthrough {
        obstacles = List.copyOf(obstacles);
    }

    public boolean possible() {
        return obstacles.isEmpty();
    }

    /**
     * @param ladder the ladder planned for the source, lowest first
     * @param cuts   where a copy is cut ({@link SegmentPlan#hlsMuxerCuts})
     */
    public static Passthrough decide(ProbedSource source, VideoPackets packets, SegmentPlan cuts,
            List<PlannedRendition> ladder, Limits limits) {
        List<String> obstacles = new ArrayList<>(streamObstacles(source));
        if (!packets.startsWithKeyframe()) {
            obstacles.add("the stream does not start with a keyframe");
        }
        if (cuts.maxSeconds() > limits.maxSegmentSeconds()) {
            obstacles.add(String.format(Locale.ROOT, "keyframes too far apart: a %.1f s segment (at most %.0f s)",
                    cuts.maxSeconds(), limits.maxSegmentSeconds()));
        }
        PlannedRendition top = ladder.getLast();
        long peak = cuts.peakBitRate(packets);
        long cap = top.rung().maxrateKbps() * 1000L;
        if (peak > limits.maxPeakFactor() * cap) {
            obstacles.add(String.format(Locale.ROOT, "peak %.1f Mbit/s, over %.1f times the %s cap of %.1f Mbit/s",
                    peak / 1e6, limits.maxPeakFactor(), top.name(), cap / 1e6));
        }
        boolean kept = obstacles.isEmpty() && sameSize(source, top) && peak <= cap;
        return new Passthrough(obstacles, kept ? top.name() : INTERIM_NAME, kept, peak);
    }

    /**
     * The name a copy of this original most likely gets, from its streams alone, before its packets are listed: empty
     * when its streams already rule a copy out. Wrong only when the packets rule it out after all (keyframes too far
     * apart, a peak too high) or make an interim copy of one the size of the top rung (its peak over that rung's cap).
     */
    public static Optional<String> likelyName(ProbedSource source, List<PlannedRendition> ladder) {
        if (!streamObstacles(source).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(sameSize(source, ladder.getLast()) ? ladder.getLast().name() : INTERIM_NAME);
    }

    private static boolean sameSize(ProbedSource source, PlannedRendition top) {
        return top.width() == source.info().width() && top.height() == source.info().height();
    }

    /** What rules a copy out that the streams alone tell. */
    private static List<String> streamObstacles(ProbedSource source) {
        List<String> obstacles = new ArrayList<>();
        VideoFacts video = source.video();
        if (!"h264".equals(video.codec())) {
            obstacles.add("video codec " + video.codec() + ", not H.264");
        }
        if (!PROFILES.contains(video.profile().toLowerCase(Locale.ROOT))) {
            obstacles.add("H.264 profile '" + video.profile() + "'");
        }
        if (video.level() <= 0 || video.level() > MAX_LEVEL) {
            obstacles.add("H.264 level " + video.level() + " (at most " + MAX_LEVEL + ")");
        }
        if (!PIXEL_FORMATS.contains(video.pixelFormat())) {
            obstacles.add("pixel format " + video.pixelFormat() + ", not 8-bit 4:2:0");
        }
        if (!PROGRESSIVE.contains(video.fieldOrder())) {
            obstacles.add("interlaced (" + video.fieldOrder() + ")");
        }
        if (video.rotation() % 360 != 0) {
            obstacles.add("rotated " + video.rotation() + "°");
        }
        if (Math.abs(video.sampleAspect() - 1) > 1e-3) {
            obstacles.add("non-square pixels (" + video.sampleAspect() + ")");
        }
        double frameRate = source.info().frameRate();
        if (frameRate > MAX_FRAME_RATE) {
            obstacles.add(String.format(Locale.ROOT, "%.2f fps (at most 60)", frameRate));
        }
        audioObstacles(source.audio(), video, frameRate, obstacles);
        return obstacles;
    }

    /** Whether the original's audio plays everywhere as it is (what a passthrough asks of it), so it can be copied. */
    public static boolean audioPlaysAsIs(ProbedSource source) {
        List<String> obstacles = new ArrayList<>();
        audioObstacles(source.audio(), source.video(), source.info().frameRate(), obstacles);
        return source.hasAudio() && obstacles.isEmpty();
    }

    private static void audioObstacles(AudioFacts audio, VideoFacts video, double frameRate, List<String> obstacles) {
        if (audio == null) {
            return;
        }
        if (!"aac".equals(audio.codec()) || !"LC".equalsIgnoreCase(audio.profile())) {
            obstacles.add("audio " + audio.codec() + (audio.profile().isEmpty() ? "" : " " + audio.profile()) + ", not AAC-LC");
        }
        if (audio.channels() < 1 || audio.channels() > 2) {
            obstacles.add(audio.channels() + " audio channels (at most 2)");
        }
        if (audio.sampleRate() > 48_000) {
            obstacles.add("audio at " + audio.sampleRate() + " Hz (at most 48 kHz)");
        }
        if (Math.abs(audio.startSeconds() - video.startSeconds()) > 1 / frameRate) {
            obstacles.add(String.format(Locale.ROOT, "audio starts %.3f s away from the video",
                    audio.startSeconds() - video.startSeconds()));
        }
    }
}
