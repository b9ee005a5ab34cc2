package dev.reel.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A realistic value of every event type and of the catalog value, with every optional field set. */
public final class Samples {

    public static final String VIDEO_ID = "v_8Jq2xN4pLm0aZ7Rt";
    public static final String SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    public static final Rendition R240 = new Rendition("240p", 426, 240, 440_000, 380_000, "avc1.42c015", 30.0,
            "media/" + VIDEO_ID + "/240p/index.m3u8", 32, 127.4, false, RenditionKind.VIDEO, false);
    public static final Rendition R360 = new Rendition("360p", 640, 360, 880_000, 760_000, "avc1.4d401e", 30.0,
            "media/" + VIDEO_ID + "/360p/index.m3u8", 32, 127.4, false, RenditionKind.VIDEO, false);
    public static final Rendition AUDIO = new Rendition("audio", 0, 0, 131_000, 129_000, "mp4a.40.2", 0,
            "media/" + VIDEO_ID + "/audio/index.m3u8", 32, 127.4, false, RenditionKind.AUDIO, false);
    /** A passthrough of an 8 Mbit/s original: above the 1080p rung's cap, so only until the ladder is complete. */
    public static final Rendition SOURCE = new Rendition("source", 1920, 1080, 8_400_000, 8_000_000, "avc1.640028", 30.0,
            "media/" + VIDEO_ID + "/source/index.m3u8", 32, 127.4, false, RenditionKind.VIDEO, true);
    /** A rendition as written before demuxed audio: video and audio in the same segments. */
    public static final Rendition MUXED = new Rendition("240p", 426, 240, 440_000, 380_000, "avc1.42c015,mp4a.40.2", 30.0,
            "media/" + VIDEO_ID + "/240p/index.m3u8", 32, 127.4, false);

    /** A video chunk task: the second chunk of a video's 240p and 360p, from 64 s to 128 s. */
    public static final ChunkRequested CHUNK = new ChunkRequested(VIDEO_ID, "p3f9a0c1d2e4b5a67", 2, 3,
            "originals/" + VIDEO_ID + "/source", 1, 15_360, 30, 0, 983_040L, 1_966_080L,
            java.util.stream.LongStream.range(0, 16).map(i -> 983_040L + i * 61_440L).boxed().toList(), 17,
            List.of(new TaskRendition("240p", RenditionKind.VIDEO, 0, 426, 240, 30, "baseline", "2.1", 400, 440, 800),
                    new TaskRendition("360p", RenditionKind.VIDEO, 0, 640, 360, 30, "main", "3.0", 800, 880, 1600)),
            "veryfast", new StoryboardTiles(33, List.of(983_040L, 1_044_480L), 160, 90));

    public static final CaptionTrack CAPTIONS_PT_BR = new CaptionTrack("pt-BR", "Português (Brasil) [CC]", CaptionKind.CAPTIONS,
            "media/" + VIDEO_ID + "/captions/pt-BR/" + SHA256 + ".vtt", 4_812L, 61);

    /** The same rendition described while it is still transcoded. */
    public static Rendition growing(Rendition r) {
        return new Rendition(r.name(), r.width(), r.height(), r.bandwidth(), r.averageBandwidth(), r.codecs(), r.frameRate(),
                r.playlistKey(), r.segmentCount(), r.durationSeconds(), true, r.kind(), r.interim());
    }

    private static final Map<Class<? extends EventData>, EventData> EVENTS = Map.ofEntries(
            sample(new VideoUploaded(VIDEO_ID, "Sunset over the bay", "Shot on a phone, no edits.", "user-42",
                    Visibility.UNLISTED, "sunset.mov", 48_213_004L, SHA256, 127.4, 1920, 1080, "h264", "aac",
                    "originals/" + VIDEO_ID + "/source")),
            sample(new VideoMetadataUpdated(VIDEO_ID, "Sunset over the bay (4K)", "", Visibility.PUBLIC, false)),
            sample(new VideoDeleted(VIDEO_ID, "user-42")),
            sample(new CaptionsSet(VIDEO_ID, CAPTIONS_PT_BR)),
            sample(new CaptionsRemoved(VIDEO_ID, "pt-BR", "user-42")),
            sample(new TranscodeStarted(VIDEO_ID, "transcoder/host-2", 1, List.of("240p", "360p", "720p"))),
            sample(new TranscodeProgress(VIDEO_ID, "transcoder/host-2", 42.5, 3.1)),
            sample(new RenditionReady(VIDEO_ID, R240)),
            sample(new TranscodeCompleted(VIDEO_ID, "transcoder/host-2", List.of(AUDIO, R240, R360),
                    "media/" + VIDEO_ID + "/thumb.jpg", 41_250L, "media/" + VIDEO_ID + "/storyboard.vtt")),
            sample(new TranscodeFailed(VIDEO_ID, "transcoder/host-2", 3,
                    "[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55d] moov atom not found\nsource: Invalid data found when processing input")),
            sample(new PlaybackStarted(VIDEO_ID, "edge/host-1", "s-5f1c0e", "Mozilla/5.0 (X11; Linux x86_64)")),
            sample(new SegmentServed(VIDEO_ID, "edge/host-1", "360p", "seg-00001.m4s", 412_331L, true, 850L, "s-5f1c0e",
                    8_400L, 25_400L, 880L, "v", false)),
            sample(new PlaybackBeacon(VIDEO_ID, "s-5f1c0e", 640L, 1, 1_200L, "360p", 3L, "stall-end", 9_800L,
                    List.of(new PlaybackBeacon.Stall(4_100L, 1_200L)), "networkError: fragLoadError", false, 1)),
            sample(new TranscodePlanned(VIDEO_ID, "transcoder/host-2", 1, "p3f9a0c1d2e4b5a67",
                    List.of(new TranscodePlanned.PlanRendition("audio", RenditionKind.AUDIO, 0, 0, 0, true, false),
                            new TranscodePlanned.PlanRendition("1080p", RenditionKind.VIDEO, 1920, 1080, 30, true, false),
                            new TranscodePlanned.PlanRendition("240p", RenditionKind.VIDEO, 426, 240, 30, false, false),
                            new TranscodePlanned.PlanRendition("360p", RenditionKind.VIDEO, 640, 360, 30, false, false)),
                    List.of(new TranscodePlanned.PlanTask(0, 0, List.of("240p", "360p"), 1, 16),
                            new TranscodePlanned.PlanTask(1, 1, List.of("240p", "360p"), 17, 16)),
                    2, 32, 4, 127.4, "media/" + VIDEO_ID + "/thumb.jpg", new Storyboard(2, 160, 90, 64, 10))),
            // a video task with its storyboard tiles (every field set)
            sample(CHUNK),
            sample(new ChunkCompleted(VIDEO_ID, "p3f9a0c1d2e4b5a67", 1, "transcoder/host-1", 2, 9_410L, 17_220L,
                    List.of(new ChunkCompleted.ChunkOutput("240p", "avc1.42c015", "9f86d081884c7d659a2feaa0c55ad015",
                            List.of(new ChunkCompleted.ChunkSegment(17, 4.0, 201_344L),
                                    new ChunkCompleted.ChunkSegment(18, 4.0, 198_112L)))))));

    private Samples() {
    }

    /** The sample of one event type; fails if there is none, so a new type cannot go untested. */
    public static EventData of(Class<?> type) {
        EventData data = EVENTS.get(type);
        if (data == null) {
            throw new AssertionError("Samples has no sample of " + type.getName());
        }
        return data;
    }

    /** Every permitted subclass of {@link EventData}, as declared. */
    public static List<Class<?>> eventTypes() {
        return List.of(EventData.class.getPermittedSubclasses());
    }

    public static Envelope<EventData> envelope(EventData data) {
        return new Envelope<>("3b241101-e2bb-4255-8caf-4136c566a962", EventType.of(data).type(), "test/host-1",
                Instant.parse("2026-11-24T10:00:00.123Z"), data.videoId(), Envelope.SPEC_VERSION,
                Envelope.DATA_CONTENT_TYPE, data);
    }

    public static VideoRecord videoRecord() {
        return new VideoRecord(VIDEO_ID, "Sunset over the bay", "Shot on a phone, no edits.", Visibility.PUBLIC,
                "user-42", SourceFacts.from((VideoUploaded) of(VideoUploaded.class)), VideoState.PLAYABLE, 42.5,
                "first attempt: worker lost", List.of(R240), "media/" + VIDEO_ID + "/thumb.jpg", true, List.of(CAPTIONS_PT_BR),
                "media/" + VIDEO_ID + "/storyboard.vtt",
                Map.of(VideoState.UPLOADED, Instant.parse("2026-11-24T10:00:00Z"),
                        VideoState.TRANSCODING, Instant.parse("2026-11-24T10:00:02Z"),
                        VideoState.PLAYABLE, Instant.parse("2026-11-24T10:00:09Z")),
                Instant.parse("2026-11-24T10:00:09Z"), 7);
    }

    private static Map.Entry<Class<? extends EventData>, EventData> sample(EventData data) {
        return Map.entry(data.getClass(), data);
    }
}
