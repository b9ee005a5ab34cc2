package dev.reel.transcoder.ffmpeg;

/**
 * An original as ffprobe describes it.
 *
 * @param info  what the ladder is planned from: displayed size, frame rate, audio, duration
 * @param video the video stream
 * @param audio the audio stream, or {@code null} when there is none
 */
public record ProbedSource(SourceInfo info, VideoFacts video, AudioFacts audio) {

    public boolean hasAudio() {
        return audio != null;
    }
}
