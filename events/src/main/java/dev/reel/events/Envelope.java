package dev.reel.events;

import static dev.reel.events.Checks.nonBlank;
import static dev.reel.events.Checks.nonNull;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.UUID;

/**
 * One event as written to Kafka: a CloudEvents 1.0 event in the JSON format, whose {@code data} is one of
 * Reel's {@link EventData} records. The record key on every topic is {@link #subject()}, the video id.
 *
 * @param id              unique per event (a UUID); consumers use it to ignore an event they have applied
 * @param type            the {@link EventType#type()} of {@code data}
 * @param source          the writing process, e.g. {@code ingest/host-1}
 * @param time            when the event happened
 * @param subject         the video id, equal to {@code data.videoId()}
 * @param specversion     always {@value #SPEC_VERSION}
 * @param datacontenttype always {@value #DATA_CONTENT_TYPE}
 * @param data            the type-specific payload
 * @param <T>             the payload type
 */
@JsonPropertyOrder({"id", "type", "source", "time", "subject", "specversion", "datacontenttype", "data"})
public record Envelope<T extends EventData>(
        String id,
        String type,
        String source,
        Instant time,
        String subject,
        String specversion,
        String datacontenttype,
        T data) {

    /** The CloudEvents version the envelope follows. */
    public static final String SPEC_VERSION = "1.0";
    /** The media type of {@code data}. */
    public static final String DATA_CONTENT_TYPE = "application/json";

    public Envelope {
        nonBlank(id, "id");
        // Canonical lower-case form only, so the same event id is never spelled two ways.
        if (!Checks.isLowerCaseUuid(id)) {
            throw new IllegalArgumentException("id must be a lower-case UUID, was '" + id + "'");
        }
        nonNull(data, "data");
        String expectedType = EventType.of(data).type();
        if (!expectedType.equals(type)) {
            throw new IllegalArgumentException("type '" + type + "' does not match data of type '" + expectedType + "'");
        }
        nonBlank(source, "source");
        nonNull(time, "time");
        if (!data.videoId().equals(subject)) {
            throw new IllegalArgumentException("subject '" + subject + "' must equal data.videoId '" + data.videoId() + "'");
        }
        if (!SPEC_VERSION.equals(specversion)) {
            throw new IllegalArgumentException("specversion must be '" + SPEC_VERSION + "', was '" + specversion + "'");
        }
        if (!DATA_CONTENT_TYPE.equals(datacontenttype)) {
            throw new IllegalArgumentException(
                    "datacontenttype must be '" + DATA_CONTENT_TYPE + "', was '" + datacontenttype + "'");
        }
    }

    /**
     * A new event about {@code data.videoId()} happening now, with a fresh random id.
     *
     * @param source the writing process, e.g. {@code ingest/host-1}
     * @param data   the payload
     * @param <T>    the payload type
     * @return the envelope
     */
    public static <T extends EventData> Envelope<T> of(String source, T data) {
        nonNull(data, "data");
        return new Envelope<>(UUID.randomUUID().toString(), EventType.of(data).type(), source, Instant.now(),
                data.videoId(), SPEC_VERSION, DATA_CONTENT_TYPE, data);
    }
}
