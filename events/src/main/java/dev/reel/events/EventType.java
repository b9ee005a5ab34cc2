package dev.reel.events;

import java.util.Arrays;
import java.util.Optional;

/** The CloudEvents {@code type} of each {@link EventData} record: the one place a type string is spelled. */
public enum EventType {
    VIDEO_UPLOADED("reel.video.uploaded", VideoUploaded.class), VIDEO_METADATA_UPDATED("reel.video.metadata-updated",
            VideoMetadataUpdated.class), VIDEO_DELETED("reel.video.deleted", VideoDeleted.class), CAPTIONS_SET(
                    "reel.captions.set",
                    CaptionsSet.class), CAPTIONS_REMOVED("reel.captions.removed", CaptionsRemoved.class), TRANSCODE_STARTED(
                            "reel.transcode.started", TranscodeStarted.class), TRANSCODE_PROGRESS("reel.transcode.progress",
                                    TranscodeProgress.class), RENDITION_READY("reel.rendition.ready",
                                            RenditionReady.class), TRANSCODE_COMPLETED("reel.transcode.completed",
                                                    TranscodeCompleted.class), TRANSCODE_FAILED("reel.transcode.failed",
                                                            TranscodeFailed.class), PLAYBACK_STARTED("reel.playback.started",
                                                                    PlaybackStarted.class), SEGMENT_SERVED("reel.segment.served",
                                                                            SegmentServed.class), PLAYBACK_BEACON(
                                                                                    "reel.playback.beacon",
                                                                                    PlaybackBeacon.class), TRANSCODE_PLANNED(
                                                                                            "reel.transcode.planned",
                                                                                            TranscodePlanned.class), CHUNK_REQUESTED(
                                                                                                    "reel.chunk.requested",
                                                                                                    ChunkRequested.class), CHUNK_COMPLETED(
                                                                                                            "reel.chunk.completed",
                                                                                                            ChunkCompleted.class);

    private final String type;
    private final Class<? extends EventData> dataClass;

    EventType(String type, Class<? extends EventData> dataClass) {
        this.type = type;
        this.dataClass = dataClass;
    }

    /** The CloudEvents {@code type} string, e.g. {@code reel.video.uploaded}. */
    public String type() {
        return type;
    }

    /** The record class of this type's {@code data}. */
    public Class<? extends EventData> dataClass() {
        return dataClass;
    }

    /** The event type with this CloudEvents {@code type} string, or empty if Reel does not know it. */
    public static Optional<EventType> fromType(String type) {
        return Arrays.stream(values()).filter(t -> t.type.equals(type)).findFirst();
    }

    /** The event type of a payload. */
    public static EventType of(EventData data) {
        return Arrays.stream(values())
                .filter(t -> t.dataClass == data.getClass())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no EventType for " + data.getClass().getName()));
    }
}
