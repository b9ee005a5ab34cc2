package dev.reel.analytics.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reel.analytics.metrics.Metrics;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * One instance's part of a query: the partitions it answered for (all of its active ones, even those with nothing to
 * say) and their buckets. On the wire between instances as JSON, each bucket's figures in their binary store form,
 * base64, so the sketches travel whole.
 *
 * @param partitions the {@code reel.playback} partitions this part covers
 * @param buckets    their buckets in the asked range
 */
public record Partials(Set<Integer> partitions, List<Bucket> buckets) {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record WireBucket(int partition, long start, String key, String metrics) {
    }

    private record Wire(Set<Integer> partitions, List<WireBucket> buckets) {
    }

    public Partials {
        partitions = Set.copyOf(partitions);
        buckets = List.copyOf(buckets);
    }

    public byte[] toJson() {
        Base64.Encoder base64 = Base64.getEncoder();
        List<WireBucket> wire = buckets.stream()
                .map(b -> new WireBucket(b.partition(), b.start(), b.key(), base64.encodeToString(b.metrics().toBytes())))
                .toList();
        try {
            return JSON.writeValueAsBytes(new Wire(partitions, wire));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("partials are plain records", e);
        }
    }

    public static Partials fromJson(byte[] json) throws IOException {
        Wire wire = JSON.readValue(json, Wire.class);
        Base64.Decoder base64 = Base64.getDecoder();
        return new Partials(wire.partitions(), wire.buckets().stream()
                .map(b -> new Bucket(b.partition(), b.start(), b.key(), Metrics.fromBytes(base64.decode(b.metrics()))))
                .toList());
    }
}
