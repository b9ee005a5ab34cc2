package dev.reel.transcoder.ffmpeg;

/** An attempt failed in a way that retrying the same input may or may not fix: ffmpeg failed, timed out, or the probe did. */
public final class TranscodeException extends Exception {

    private static final long serialVersionUID = 1L;

    public TranscodeException(String message) {
        super(message);
    }

    public TranscodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
