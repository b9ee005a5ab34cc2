package dev.reel.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reel.cluster.Await;
import dev.reel.cluster.S3Endpoint;
import dev.reel.events.topics.Topics;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.LongAdder;

/**
 * The checks every fault ends with: each uploaded video READY (and it became READY once), every object its
 * playlists name is in storage, and its view count is exactly the views the clients started.
 */
final class PlatformChecks {

    private final FrontDoor front;
    private final MinioClient storage;
    private final String bucket;
    private final String bootstrapServers;

    PlatformChecks(FrontDoor front, Properties reelEnv) {
        this.front = front;
        this.storage = new S3Endpoint(reelEnv.getProperty("REEL_S3_ENDPOINT"), reelEnv.getProperty("REEL_S3_ACCESS_KEY"),
                reelEnv.getProperty("REEL_S3_SECRET_KEY"), reelEnv.getProperty("REEL_S3_REGION")).client();
        this.bucket = reelEnv.getProperty("REEL_S3_BUCKET");
        this.bootstrapServers = reelEnv.getProperty("REEL_KAFKA_BOOTSTRAP_SERVERS");
    }

    /** Waits (boundedly) until each video is READY; returns how long the last one took from now. */
    Duration awaitReady(List<String> videos, Duration timeout) {
        long start = System.nanoTime();
        for (String video : videos) {
            Await.until(video + " READY in the catalog API", timeout, () -> "READY".equals(state(video)), List.of());
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    String state(String video) {
        try {
            return front.video(video).map(v -> v.get("state").asText()).orElse("UNKNOWN");
        } catch (IOException e) {
            return "UNREACHABLE";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "INTERRUPTED";
        }
    }

    /** READY now, and in reel.catalog the video entered READY exactly once: one result, however often it was redone. */
    void readyExactlyOnce(List<String> videos) throws IOException {
        // The API reads the store, which is updated before the transaction that writes reel.catalog commits.
        Await.until("reel.catalog's last record of each video READY", Duration.ofMinutes(1), () -> {
            EventHistory latest = EventHistory.read(bootstrapServers, List.of(Topics.CATALOG));
            return videos.stream().allMatch(v -> {
                List<EventHistory.Event> records = latest.of(Topics.CATALOG, v);
                return !records.isEmpty() && records.getLast().json() != null
                        && "READY".equals(records.getLast().json().get("state").asText());
            });
        }, List.of());
        EventHistory history = EventHistory.read(bootstrapServers, List.of(Topics.CATALOG));
        for (String video : videos) {
            List<String> states = history.of(Topics.CATALOG, video).stream()
                    .map(e -> e.json() == null ? "TOMBSTONE" : e.json().get("state").asText()).toList();
            long enteredReady = 0;
            for (int i = 0; i < states.size(); i++) {
                if (states.get(i).equals("READY") && (i == 0 || !states.get(i - 1).equals("READY"))) {
                    enteredReady++;
                }
            }
            assertThat(states).as("%s in reel.catalog", video).isNotEmpty().last().isEqualTo("READY");
            assertThat(enteredReady).as("%s entered READY once: %s", video, states).isEqualTo(1);
        }
    }

    /** Every rendition's playlist, init segment and each segment it lists, and the poster, are in storage. */
    int everyObjectPresent(List<String> videos) throws Exception {
        int objects = 0;
        for (String video : videos) {
            JsonNode record = front.video(video).orElseThrow();
            assertThat(record.get("renditions").size()).as("%s renditions", video).isGreaterThanOrEqualTo(1);
            for (JsonNode rendition : record.get("renditions")) {
                String playlistKey = rendition.get("playlistKey").asText();
                String folder = playlistKey.substring(0, playlistKey.lastIndexOf('/') + 1);
                String playlist = read(playlistKey);
                assertThat(playlist).as(playlistKey).contains("#EXT-X-ENDLIST");
                List<String> segments = playlist.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
                assertThat(segments).as(playlistKey).hasSize(rendition.get("segmentCount").asInt());
                List<String> keys = new ArrayList<>(segments.stream().map(s -> folder + s).toList());
                keys.add(folder + "init.mp4");
                for (String key : keys) {
                    assertThat(storage.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()).size())
                            .as(key).isPositive();
                }
                objects += keys.size() + 1;
            }
            String poster = record.get("posterKey").asText();
            assertThat(storage.statObject(StatObjectArgs.builder().bucket(bucket).object(poster).build()).size()).as(poster)
                    .isPositive();
            objects++;
        }
        return objects;
    }

    /** The catalog's count equals the views started by clients (each a master playlist answered 200). */
    void viewsExact(Map<String, LongAdder> viewsStarted) {
        for (Map.Entry<String, LongAdder> expected : viewsStarted.entrySet()) {
            long want = expected.getValue().sum();
            try {
                Await.until(expected.getKey() + " has " + want + " views", Duration.ofMinutes(2),
                        () -> views(expected.getKey()) >= want, List.of());
            } catch (IllegalStateException timedOut) {
                // fall through to the assertion, which names the count the catalog has
            }
            assertThat(views(expected.getKey())).as("views of %s", expected.getKey()).isEqualTo(want);
        }
    }

    long views(String video) {
        try {
            return front.views(video);
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private String read(String key) throws Exception {
        try (InputStream in = storage.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
