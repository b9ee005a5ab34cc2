package dev.reel.events.streams;

import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/**
 * An event that reads as JSON but cannot be folded (it is on the wrong topic, or its key is not its subject)
 * goes to {@code reel.dlq} with the bytes it arrived with, and the task goes on.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {

    private DeadLetters deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = DeadLetters.configured(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        return Response.resume(List.of(
                deadLetters.copyOf(context, context.sourceRawKey(), context.sourceRawValue(), exception)));
    }
}
