package dev.reel.webhooks;

import dev.reel.service.config.Env;
import dev.reel.service.kafka.KafkaSettings;
import dev.reel.service.storage.S3Settings;
import dev.reel.webhooks.delivery.DisablePolicy;
import dev.reel.webhooks.delivery.RetryPolicy;
import dev.reel.webhooks.net.Cidr;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Every setting of the webhooks service, from environment variables (defaults in {@link #from}); see the module README.
 */
public record WebhooksConfig(
        String instanceId,
        String bindHost,
        int port,
        KafkaSettings kafka,
        S3Settings s3,
        byte[] secretKey,
        List<Cidr> allowedNetworks,
        Duration timeout,
        RetryPolicy retry,
        DisablePolicy disable,
        int concurrency,
        Duration previousSecretValidity,
        int history) {

    public static final String SERVICE = "webhooks";

    public static WebhooksConfig from(Env env) {
        String instanceId = env.instanceId(SERVICE);
        String bindHost = env.string("REEL_BIND_HOST", "127.0.0.1");
        int port = env.integer("REEL_WEBHOOKS_PORT", 8095, 0, 65535);
        KafkaSettings kafka = KafkaSettings.from(env, instanceId);
        S3Settings s3 = S3Settings.from(env);
        String secretKey = env.required("REEL_WEBHOOKS_SECRET_KEY");
        if (!secretKey.isEmpty() && secretKey.getBytes(StandardCharsets.UTF_8).length < 32) {
            env.problem("REEL_WEBHOOKS_SECRET_KEY must have at least 32 bytes");
        }
        List<Cidr> allowed = new ArrayList<>();
        for (String network : env.list("REEL_WEBHOOKS_ALLOWED_NETWORKS", List.of())) {
            try {
                allowed.add(Cidr.parse(network));
            } catch (IllegalArgumentException e) {
                env.problem("REEL_WEBHOOKS_ALLOWED_NETWORKS: " + e.getMessage());
            }
        }
        Duration timeout = positive(env, "REEL_WEBHOOKS_TIMEOUT", Duration.ofSeconds(10));
        Duration retryBase = positive(env, "REEL_WEBHOOKS_RETRY_BASE", Duration.ofSeconds(5));
        Duration retryMax = positive(env, "REEL_WEBHOOKS_RETRY_MAX_INTERVAL", Duration.ofHours(1));
        Duration retryFor = positive(env, "REEL_WEBHOOKS_RETRY_FOR", Duration.ofHours(24));
        Duration disableAfter = positive(env, "REEL_WEBHOOKS_DISABLE_AFTER", Duration.ofHours(24));
        int disableMin = env.integer("REEL_WEBHOOKS_DISABLE_MIN_FAILURES", 5, 1, 1_000_000);
        int concurrency = env.integer("REEL_WEBHOOKS_CONCURRENCY", 32, 1, 10_000);
        Duration previousValidity = positive(env, "REEL_WEBHOOKS_PREVIOUS_SECRET_VALIDITY", Duration.ofHours(24));
        int history = env.integer("REEL_WEBHOOKS_HISTORY", 100, 1, 100_000);
        env.validate();
        return new WebhooksConfig(instanceId, bindHost, port, kafka, s3, secretKey.getBytes(StandardCharsets.UTF_8),
                List.copyOf(allowed), timeout, new RetryPolicy(retryBase, retryMax, retryFor),
                new DisablePolicy(disableAfter, disableMin), concurrency, previousValidity, history);
    }

    private static Duration positive(Env env, String name, Duration defaultValue) {
        Duration value = env.duration(name, defaultValue);
        if (value.isZero() || value.isNegative()) {
            env.problem(name + " must be longer than zero");
        }
        return value;
    }

    /** The event {@code source} of this instance's dead letters. */
    public String source() {
        return SERVICE + "/" + instanceId;
    }
}
