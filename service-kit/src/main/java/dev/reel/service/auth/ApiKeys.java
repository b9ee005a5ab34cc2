package dev.reel.service.auth;

import dev.reel.service.kafka.TopicFollower;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API keys every service that authenticates (ingest, catalog-streams, edges) checks, and whose owner each acts for:
 * this process's copy of the compacted topic {@code reel.keys} ({@link ApiKeyRecord}s keyed by the key's SHA-256),
 * followed from the beginning, so a key added or revoked with {@code reel keys} works or stops working everywhere
 * within a poll, without a restart. Only hashes are held: a presented key is hashed and looked up, so the lookup time
 * depends on the hash, which says nothing about any key.
 */
public final class ApiKeys implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);
    private static final String BEARER = "Bearer ";

    private final Map<String, ApiKeyRecord> byHash = new ConcurrentHashMap<>();
    private TopicFollower follower; // null for a fixed set

    private ApiKeys() {
    }

    /** Follows {@code topic} ({@code Topics.KEYS}) with a consumer of this configuration; ready once caught up. */
    public static ApiKeys follow(String topic, Map<String, Object> consumerConfig) {
        ApiKeys keys = new ApiKeys();
        keys.follower = new TopicFollower(topic, consumerConfig, keys::apply).start();
        return keys;
    }

    /** A fixed set of keys, for tests and tools. */
    public static ApiKeys of(Collection<ApiKeyRecord> records) {
        ApiKeys keys = new ApiKeys();
        records.forEach(keys::put);
        return keys;
    }

    /** Whether every key that existed when this process started is known (a readiness check). */
    public boolean isCaughtUp() {
        return follower == null || follower.isCaughtUp();
    }

    /** The owner of the key in an {@code Authorization: Bearer <key>} header; empty when missing, unknown or revoked. */
    public Optional<String> ownerOf(String authorizationHeader) {
        String key = bearerToken(authorizationHeader);
        if (key == null) {
            return Optional.empty();
        }
        ApiKeyRecord record = byHash.get(ApiKeyRecord.hash(key));
        return record == null || record.revoked() ? Optional.empty() : Optional.of(record.owner());
    }

    /** Every key record known here, revoked ones included. */
    public Collection<ApiKeyRecord> all() {
        return byHash.values();
    }

    /** The token of an {@code Authorization: Bearer <token>} header, or null when there is none. */
    public static String bearerToken(String header) {
        if (header == null) {
            return null;
        }
        String value = header.strip();
        if (value.length() <= BEARER.length() || !value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String token = value.substring(BEARER.length()).strip();
        return token.isEmpty() ? null : token;
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            if (record.key() != null) {
                byHash.remove(record.key());
            }
            return;
        }
        try {
            ApiKeyRecord key = ApiKeyRecord.fromJson(record.value());
            if (!key.keyHash().equals(record.key())) {
                throw new IllegalArgumentException("the record key is not the key's hash");
            }
            put(key);
        } catch (IllegalArgumentException e) {
            log.warn("skipped {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
        }
    }

    private void put(ApiKeyRecord key) {
        ApiKeyRecord before = byHash.put(key.keyHash(), key);
        if (before == null || before.revoked() != key.revoked()) {
            log.info("API key {}... of {} {}", key.keyHash().substring(0, 8), key.owner(), key.revoked() ? "revoked" : "added");
        }
    }

    @Override
    public void close() {
        if (follower != null) {
            follower.close();
        }
    }
}
