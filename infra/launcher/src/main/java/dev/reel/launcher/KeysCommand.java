package dev.reel.launcher;

import dev.reel.events.topics.Topics;
import dev.reel.service.auth.ApiKeyRecord;
import dev.reel.service.auth.ApiKeyWriter;
import dev.reel.service.auth.ApiKeys;
import dev.reel.service.kafka.KafkaSettings;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code reel keys add|revoke|list}: the API keys every service checks, as records of the compacted topic
 * {@code reel.keys} (owner and SHA-256 of the key, never the key). A key added or revoked here works or stops working
 * in every running service within a second, without a restart. {@code add} prints a new key once: it is stored
 * nowhere else.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Add, revoke or list API keys (topic reel.keys: owner and SHA-256 of each key, never the key).")
final class KeysCommand implements Callable<Integer> {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Mixin
    RunFolder runFolder;

    @Option(names = "--bootstrap-servers", defaultValue = "${env:REEL_KAFKA_BOOTSTRAP_SERVERS}",
            description = "Kafka bootstrap servers (env REEL_KAFKA_BOOTSTRAP_SERVERS; default: the run folder's platform).")
    String bootstrapServers;

    @Parameters(index = "0", description = "add, revoke or list")
    String action;

    @Option(names = "--owner", description = "add: the owner the key acts for ([A-Za-z0-9_.@-], 1-64)")
    String owner;

    @Option(names = "--key", description = "add: the key to add (default: a new random one); revoke: the key to revoke")
    String key;

    @Option(names = "--hash", description = "revoke: the key's SHA-256 (as `list` shows it) instead of the key")
    String hash;

    @Override
    public Integer call() {
        String servers = bootstrapServers != null
                ? bootstrapServers
                : runFolder.read(StatusCommand.STATE_FILE).getProperty("kafka.bootstrap.servers");
        KafkaSettings kafka = new KafkaSettings(servers, "reel-keys");
        return switch (action) {
            case "add" -> add(kafka);
            case "revoke" -> revoke(kafka);
            case "list" -> list(kafka);
            default -> {
                System.err.println("unknown action '" + action + "': use add, revoke or list");
                yield 2;
            }
        };
    }

    private int add(KafkaSettings kafka) {
        if (owner == null || !ApiKeyRecord.OWNER.matcher(owner).matches()) {
            System.err.println("--owner is needed: 1-64 characters of [A-Za-z0-9_.@-]");
            return 2;
        }
        String newKey = key != null ? key : newKey();
        ApiKeyRecord record = ApiKeyRecord.added(owner, newKey, Instant.now());
        ApiKeyWriter.write(kafka.producer("keys"), Topics.KEYS, List.of(record), TIMEOUT);
        System.out.println("added a key for " + owner + " (sha-256 " + record.keyHash() + ")");
        if (key == null) {
            System.out.println("key " + newKey + "  (shown once: only its hash is stored)");
        }
        return 0;
    }

    private int revoke(KafkaSettings kafka) {
        String target = hash != null ? hash : key == null ? null : ApiKeyRecord.hash(key);
        if (target == null) {
            System.err.println("--key or --hash is needed");
            return 2;
        }
        ApiKeyRecord known = read(kafka).stream().filter(r -> r.keyHash().equals(target)).findFirst().orElse(null);
        if (known == null) {
            System.err.println("no such key in " + Topics.KEYS);
            return 1;
        }
        ApiKeyWriter.write(kafka.producer("keys"), Topics.KEYS, List.of(known.revokedAt(Instant.now())), TIMEOUT);
        System.out.println("revoked the key of " + known.owner() + " (sha-256 " + known.keyHash() + ")");
        return 0;
    }

    private int list(KafkaSettings kafka) {
        System.out.printf("%-64s  %-24s  %-8s  %s%n", "sha-256", "owner", "state", "since");
        read(kafka).stream().sorted(Comparator.comparing(ApiKeyRecord::owner).thenComparing(ApiKeyRecord::time))
                .forEach(r -> System.out.printf("%-64s  %-24s  %-8s  %s%n", r.keyHash(), r.owner(),
                        r.revoked() ? "revoked" : "active", r.time()));
        return 0;
    }

    private static List<ApiKeyRecord> read(KafkaSettings kafka) {
        try (ApiKeys keys = ApiKeys.follow(Topics.KEYS, kafka.consumer("reel-keys-list"))) {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!keys.isCaughtUp()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + Topics.KEYS + " within " + TIMEOUT);
                }
                Thread.sleep(100);
            }
            return List.copyOf(keys.all());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String newKey() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
