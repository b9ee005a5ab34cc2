package dev.reel.catalog;

import dev.reel.events.Envelope;
import dev.reel.events.EventData;
import dev.reel.events.EventType;
import dev.reel.events.PlaybackStarted;
import dev.reel.events.Rendition;
import dev.reel.events.RenditionKind;
import dev.reel.events.RenditionReady;
import dev.reel.events.SegmentServed;
import dev.reel.events.TranscodeCompleted;
import dev.reel.events.TranscodeFailed;
import dev.reel.events.TranscodeProgress;
import dev.reel.events.TranscodeStarted;
import dev.reel.events.VideoDeleted;
import dev.reel.events.VideoMetadataUpdated;
import dev.reel.events.VideoUploaded;
import dev.reel.events.Visibility;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Valid events of one video at chosen times, as the other services write them. */
public final class TestEvents {

    private TestEvents() {
    }

    public static <T extends EventData> Envelope<T> at(Instant time, T data) {
        return new Envelope<>(UUID.randomUUID().toString(), EventType.of(data).type(), "test/1", time,
                data.videoId(), Envelope.SPEC_VERSION, Envelope.DATA_CONTENT_TYPE, data);
    }

    public static VideoUploaded uploaded(String videoId) {
        return uploaded(videoId, "alice", Visibility.PUBLIC);
    }

    public static VideoUploaded uploaded(String videoId, String owner, Visibility visibility) {
        return new VideoUploaded(videoId, "Sunset over the bay", "Shot on a phone", owner, visibility,
                "sunset.mp4", 4_200_000, "ab".repeat(32), 12.5, 1280, 720, "h264", "aac",
                "originals/" + videoId + "/source");
    }

    public static TranscodeStarted started(String videoId) {
        return new TranscodeStarted(videoId, "w1", 1, List.of("240p", "360p", "720p"));
    }

    public static TranscodeProgress progress(String videoId, double percent) {
        return new TranscodeProgress(videoId, "w1", percent, 2.5);
    }

    public static Rendition rendition(String videoId, String name, int height, long bandwidth) {
        return new Rendition(name, height * 16 / 9, height, bandwidth, bandwidth * 9 / 10, "avc1.4d401e,mp4a.40.2",
                30.0, "media/" + videoId + "/" + name + "/index.m3u8", 4, 12.5, false);
    }

    /** The demuxed audio rendition a video with audio gets before its first video rendition. */
    public static RenditionReady audio(String videoId) {
        return new RenditionReady(videoId, new Rendition("audio", 0, 0, 131_000, 129_000, "mp4a.40.2", 0,
                "media/" + videoId + "/audio/index.m3u8", 4, 12.5, false, RenditionKind.AUDIO, false));
    }

    public static RenditionReady ready(String videoId, String name, int height, long bandwidth) {
        return new RenditionReady(videoId, rendition(videoId, name, height, bandwidth));
    }

    /** A rendition.ready written while the rendition is still transcoded: 2 of its segments are stored so far. */
    public static RenditionReady growing(String videoId, String name, int height, long bandwidth) {
        Rendition r = rendition(videoId, name, height, bandwidth);
        return new RenditionReady(videoId, new Rendition(r.name(), r.width(), r.height(), r.bandwidth(), r.averageBandwidth(),
                r.codecs(), r.frameRate(), r.playlistKey(), 2, 8.0, true));
    }

    public static TranscodeCompleted completed(String videoId) {
        return new TranscodeCompleted(videoId, "w1", List.of(
                rendition(videoId, "240p", 240, 450_000),
                rendition(videoId, "360p", 360, 900_000),
                rendition(videoId, "720p", 720, 3_000_000)),
                "media/" + videoId + "/thumb.jpg", 11_000);
    }

    public static TranscodeFailed failed(String videoId) {
        return new TranscodeFailed(videoId, "w1", 3, "moov atom not found");
    }

    public static VideoMetadataUpdated retitled(String videoId, String title) {
        return new VideoMetadataUpdated(videoId, title, null, null);
    }

    public static VideoDeleted deleted(String videoId) {
        return new VideoDeleted(videoId, "alice");
    }

    public static PlaybackStarted play(String videoId) {
        return new PlaybackStarted(videoId, "edge-1", UUID.randomUUID().toString(), "test");
    }

    public static SegmentServed segment(String videoId) {
        return new SegmentServed(videoId, "edge-1", "240p", "seg-00001.m4s", 100_000, false, 300);
    }
}
