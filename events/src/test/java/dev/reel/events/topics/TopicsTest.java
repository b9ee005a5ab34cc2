package dev.reel.events.topics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.events.EventData;
import dev.reel.events.Samples;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TopicsTest {

    private static final Map<String, TopicSpec> SPECS = Topics.all().stream()
            .collect(Collectors.toMap(TopicSpec::name, Function.identity()));

    @Test
    void everyEventTypeHasATopicAsInTheDesign() {
        Map<String, String> expected = Map.ofEntries(
                Map.entry("VideoUploaded", Topics.UPLOADS),
                Map.entry("VideoMetadataUpdated", Topics.METADATA),
                Map.entry("VideoDeleted", Topics.METADATA),
                Map.entry("CaptionsSet", Topics.METADATA),
                Map.entry("CaptionsRemoved", Topics.METADATA),
                Map.entry("TranscodeStarted", Topics.TRANSCODE),
                Map.entry("TranscodeProgress", Topics.TRANSCODE),
                Map.entry("RenditionReady", Topics.TRANSCODE),
                Map.entry("TranscodeCompleted", Topics.TRANSCODE),
                Map.entry("TranscodeFailed", Topics.TRANSCODE),
                Map.entry("PlaybackStarted", Topics.PLAYBACK),
                Map.entry("SegmentServed", Topics.PLAYBACK),
                Map.entry("PlaybackBeacon", Topics.PLAYBACK),
                Map.entry("TranscodePlanned", Topics.TRANSCODE),
                Map.entry("ChunkCompleted", Topics.TRANSCODE),
                Map.entry("ChunkRequested", Topics.CHUNKS));

        for (Class<?> type : Samples.eventTypes()) {
            EventData sample = Samples.of(type);
            assertThat(Topics.topicFor(sample)).as(type.getSimpleName()).isEqualTo(expected.get(type.getSimpleName()));
        }
        assertThat(expected).hasSameSizeAs(Samples.eventTypes());
    }

    @Test
    void specsFollowTheDesign() {
        assertThat(SPECS.keySet()).containsExactlyInAnyOrder(
                "reel.uploads", "reel.transcode", "reel.metadata", "reel.catalog", "reel.playback", "reel.dlq",
                "reel.webhooks", "reel.webhook-deliveries", "reel.keys", "reel.chunks");
        assertThat(SPECS.get(Topics.KEYS)).isEqualTo(new TopicSpec(Topics.KEYS, 1, Map.of("cleanup.policy", "compact")));
        Map<String, String> sevenDays = Map.of("cleanup.policy", "delete", "retention.ms", "604800000");
        assertThat(SPECS.get(Topics.UPLOADS)).isEqualTo(new TopicSpec(Topics.UPLOADS, 6, sevenDays));
        assertThat(SPECS.get(Topics.TRANSCODE)).isEqualTo(new TopicSpec(Topics.TRANSCODE, 6, sevenDays));
        assertThat(SPECS.get(Topics.METADATA)).isEqualTo(new TopicSpec(Topics.METADATA, 6, sevenDays));
        assertThat(SPECS.get(Topics.PLAYBACK)).isEqualTo(new TopicSpec(Topics.PLAYBACK, 12, sevenDays));
        assertThat(SPECS.get(Topics.CATALOG)).isEqualTo(new TopicSpec(Topics.CATALOG, 6, Map.of("cleanup.policy", "compact")));
        assertThat(SPECS.get(Topics.CHUNKS)).as("one partition: every worker of the share group takes from it")
                .isEqualTo(new TopicSpec(Topics.CHUNKS, 1, sevenDays));
        assertThat(SPECS.get(Topics.DLQ)).isEqualTo(
                new TopicSpec(Topics.DLQ, 3, Map.of("cleanup.policy", "delete", "retention.ms", "1209600000")));
        assertThat(SPECS.get(Topics.WEBHOOKS)).isEqualTo(
                new TopicSpec(Topics.WEBHOOKS, 3, Map.of("cleanup.policy", "delete", "retention.ms", "-1")));
        assertThat(SPECS.get(Topics.WEBHOOK_DELIVERIES)).isEqualTo(new TopicSpec(Topics.WEBHOOK_DELIVERIES, 6, sevenDays));
    }
}
