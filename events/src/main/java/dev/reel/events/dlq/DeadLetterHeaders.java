package dev.reel.events.dlq;

/**
 * Names of the headers {@link DeadLetterPublisher} adds to a record on {@code reel.dlq}; the record's own
 * headers are kept beside them. Every value is a UTF-8 string: numbers in decimal, times in ISO-8601.
 */
public final class DeadLetterHeaders {

    /** The topic the record was read from. */
    public static final String ORIGINAL_TOPIC = "reel.dlq.original.topic";
    /** The partition the record was read from. */
    public static final String ORIGINAL_PARTITION = "reel.dlq.original.partition";
    /** The record's offset in that partition. */
    public static final String ORIGINAL_OFFSET = "reel.dlq.original.offset";
    /** The record's own timestamp, in epoch milliseconds. */
    public static final String ORIGINAL_TIMESTAMP = "reel.dlq.original.timestamp";
    /** The class of the error that made the record unprocessable. */
    public static final String ERROR_CLASS = "reel.dlq.error.class";
    /** The message of that error. */
    public static final String ERROR_MESSAGE = "reel.dlq.error.message";
    /** The process that gave up on the record, e.g. {@code catalog-streams/host-1}. */
    public static final String SOURCE = "reel.dlq.source";
    /** When the record was dead-lettered, ISO-8601. */
    public static final String TIME = "reel.dlq.time";

    private DeadLetterHeaders() {
    }
}
