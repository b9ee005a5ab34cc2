package dev.reel.transcoder.job;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Runs one delivered job on a worker thread and says how its record is to be acknowledged. */
@FunctionalInterface
public interface JobProcessor {

    /**
     * @param record        the record as delivered
     * @param deliveryCount 1 on the first delivery, incremented by the broker on each redelivery
     * @return {@code ACCEPT} when done, {@code RELEASE} to have it delivered again (to any worker), {@code REJECT} to
     *         drop it for good (after it was dead-lettered)
     * @throws InterruptedException when the worker is told to stop (shutdown grace over): the record is released
     */
    AcknowledgeType process(ConsumerRecord<byte[], byte[]> record, int deliveryCount) throws InterruptedException;
}
