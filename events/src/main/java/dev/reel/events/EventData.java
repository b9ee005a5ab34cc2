package dev.reel.events;

/**
 * The type-specific payload of an {@link Envelope}: one record per event type, each tied to its CloudEvents
 * {@code type} string by {@link EventType}.
 *
 * <p>Sealed so that a {@code switch} over an event is checked for exhaustiveness by the compiler.
 */
public sealed interface EventData
        permits VideoUploaded, VideoMetadataUpdated, VideoDeleted, CaptionsSet, CaptionsRemoved,
        TranscodeStarted, TranscodeProgress, RenditionReady, TranscodeCompleted, TranscodeFailed,
        PlaybackStarted, SegmentServed, PlaybackBeacon,
        TranscodePlanned, ChunkRequested, ChunkCompleted {

    /** The video the event is about: the record key on every topic and the envelope's {@code subject}. */
    String videoId();
}
