package dev.reel.transcoder.publish;

import dev.reel.events.TranscodeProgress;
import dev.reel.events.publish.EventWriter;
import dev.reel.transcoder.ffmpeg.Progress;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Turns ffmpeg's progress blocks (several a second) into {@code transcode.progress} events, at most one per second
 * per job, so a fleet of workers does not flood {@code reel.transcode}.
 */
public final class ProgressReporter implements Consumer<Progress> {

    private static final long INTERVAL_NANOS = 1_000_000_000L;

    private final EventWriter events;
    private final String videoId;
    private final String worker;
    private final double durationSeconds;
    private final LongSupplier nanoClock;
    private long lastSent = Long.MIN_VALUE;
    private volatile Progress latest;

    public ProgressReporter(EventWriter events, String videoId, String worker, double durationSeconds,
            LongSupplier nanoClock) {
        this.events = events;
        this.videoId = videoId;
        this.worker = worker;
        this.durationSeconds = durationSeconds;
        this.nanoClock = nanoClock;
    }

    @Override
    public synchronized void accept(Progress progress) {
        latest = progress;
        long now = nanoClock.getAsLong();
        if (progress.ended() || (lastSent != Long.MIN_VALUE && now - lastSent < INTERVAL_NANOS)) {
            return; // the end is told by rendition.ready and transcode.completed
        }
        lastSent = now;
        events.send(new TranscodeProgress(videoId, worker, progress.percentOf(durationSeconds), progress.speed()));
    }

    /** Keeps a block as the latest without reporting it (a pass whose progress is not the job's). */
    public void remember(Progress progress) {
        latest = progress;
    }

    /** The last block ffmpeg reported, or {@code null}. */
    public Progress latest() {
        return latest;
    }
}
