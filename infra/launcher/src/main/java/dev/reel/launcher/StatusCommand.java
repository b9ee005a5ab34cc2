package dev.reel.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code reel status}: each process of a running platform with its port and health, the lag of every
 * consumer group, and how many videos are in each state. Reads what {@code reel up} wrote in the run folder.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show each process and its health, the consumer groups' lag and the videos' states.")
final class StatusCommand implements Callable<Integer> {

    static final String STATE_FILE = "platform.properties";

    @Mixin
    RunFolder runFolder;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Override
    public Integer call() throws Exception {
        Properties state = runFolder.read(STATE_FILE);
        System.out.printf("%-14s %-6s %-10s %s%n", "PROCESS", "PORT", "HEALTH", "LOG");
        boolean allReady = true;
        for (String name : names(state)) {
            int port = Integer.parseInt(state.getProperty("process." + name + ".port"));
            String health = health(port);
            allReady &= health.equals("ready");
            System.out.printf("%-14s %-6d %-10s %s%n", name, port, health, state.getProperty("process." + name + ".log"));
        }
        System.out.println();
        printLag(state.getProperty("kafka.bootstrap.servers"));
        System.out.println();
        printVideoStates(state.getProperty("frontdoor.url"));
        return allReady ? 0 : 1;
    }

    private static Collection<String> names(Properties state) {
        return state.stringPropertyNames().stream().filter(k -> k.startsWith("process.") && k.endsWith(".port"))
                .map(k -> k.substring("process.".length(), k.length() - ".port".length())).sorted().toList();
    }

    private String health(int port) {
        try {
            int status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            return status == 200 ? "ready" : "not ready";
        } catch (IOException e) {
            return "down";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** Lag per consumer group: end offsets minus committed offsets, summed over its partitions. */
    private static void printLag(String bootstrapServers) throws Exception {
        System.out.printf("%-34s %10s%n", "CONSUMER GROUP", "LAG");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000))) {
            Collection<GroupListing> groups = admin.listGroups().all().get(10, TimeUnit.SECONDS);
            for (GroupListing group : groups.stream().sorted((a, b) -> a.groupId().compareTo(b.groupId())).toList()) {
                Map<TopicPartition, OffsetAndMetadata> committed;
                try {
                    committed = admin.listConsumerGroupOffsets(group.groupId()).partitionsToOffsetAndMetadata().get(10,
                            TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    System.out.printf("%-34s %10s%n", group.groupId(),
                            "(" + group.type().map(Object::toString).orElse("?").toLowerCase() + " group)");
                    continue;
                }
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(committed.keySet().stream()
                        .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()))).all().get(10, TimeUnit.SECONDS);
                long lag = committed.entrySet().stream().filter(e -> e.getValue() != null)
                        .mapToLong(e -> Math.max(0, ends.get(e.getKey()).offset() - e.getValue().offset())).sum();
                System.out.printf("%-34s %10d%n", group.groupId(), lag);
            }
        }
    }

    /** Counts of videos by state, from the catalog API behind the front door. */
    private void printVideoStates(String frontDoor) {
        Map<String, Integer> counts = new TreeMap<>();
        ObjectMapper json = new ObjectMapper();
        String cursor = null;
        try {
            do {
                String url = frontDoor + "/api/catalog/videos?limit=200" + (cursor == null ? "" : "&cursor=" + cursor);
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    System.out.println("VIDEOS  catalog answered " + response.statusCode());
                    return;
                }
                JsonNode page = json.readTree(response.body());
                page.path("videos").forEach(v -> counts.merge(v.path("state").asText(), 1, Integer::sum));
                cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
            } while (cursor != null);
        } catch (IOException e) {
            System.out.println("VIDEOS  catalog unreachable at " + frontDoor + ": " + e.getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        System.out.println("VIDEOS  " + (counts.isEmpty()
                ? "none yet"
                : counts.entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))));
    }

}
