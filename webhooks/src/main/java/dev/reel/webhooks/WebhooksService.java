package dev.reel.webhooks;

import dev.reel.events.dlq.DeadLetterPublisher;
import dev.reel.events.publish.EventWriter;
import dev.reel.events.topics.Topics;
import dev.reel.service.auth.ApiKeys;
import dev.reel.service.lifecycle.GracefulShutdown;
import dev.reel.service.ops.HttpServers;
import dev.reel.service.ops.OpsHandler;
import dev.reel.service.ops.Readiness;
import dev.reel.service.ops.ServiceMetrics;
import dev.reel.service.storage.ObjectStorage;
import dev.reel.webhooks.api.UrlPolicy;
import dev.reel.webhooks.api.WebhooksHandler;
import dev.reel.webhooks.delivery.DeliveryLog;
import dev.reel.webhooks.delivery.DeliveryWorker;
import dev.reel.webhooks.delivery.Sender;
import dev.reel.webhooks.endpoints.EndpointRegistry;
import dev.reel.webhooks.fanout.FanOut;
import dev.reel.webhooks.fanout.VideoOwners;
import dev.reel.webhooks.kafka.WebhookRecords;
import dev.reel.webhooks.net.AddressPolicy;
import dev.reel.webhooks.net.GuardedResolver;
import dev.reel.webhooks.signing.Secrets;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhooks service, wired: the endpoint registry and delivery log (followers of the two webhook topics), the
 * fan-out from the video topics, the delivery worker with its guarded HTTP client, and the API. Shutdown: stop taking
 * requests, stop the fan-out, stop the worker (attempts under way finish or stay due), flush the producer, close the
 * followers, the HTTP client and storage.
 */
public final class WebhooksService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhooksService.class);

    private final Server server;
    private final GracefulShutdown shutdown;

    private WebhooksService(Server server, GracefulShutdown shutdown) {
        this.server = server;
        this.shutdown = shutdown;
    }

    public static WebhooksService start(WebhooksConfig config) throws Exception {
        AtomicReference<Server> http = new AtomicReference<>();
        AtomicReference<FanOut> fanOutRef = new AtomicReference<>();
        AtomicReference<DeliveryWorker> workerRef = new AtomicReference<>();
        GracefulShutdown shutdown = new GracefulShutdown(WebhooksConfig.SERVICE)
                .then("http", () -> LifeCycle.stop(http.get()))
                .then("fan-out", () -> close(fanOutRef.get()))
                .then("delivery worker", () -> close(workerRef.get()));
        try {
            Clock clock = Clock.systemUTC();
            PrometheusMeterRegistry meters = ServiceMetrics.create(WebhooksConfig.SERVICE, config.instanceId());
            EventWriter writer = new EventWriter(new KafkaProducer<>(config.kafka().producer("webhooks"),
                    new ByteArraySerializer(), new ByteArraySerializer()), config.source(), Duration.ofSeconds(30));
            shutdown.then("producer", writer);
            WebhookRecords records = new WebhookRecords(writer);
            DeadLetterPublisher deadLetters = new DeadLetterPublisher(writer.producer(), config.source());

            // owners authenticate with the API keys of reel.keys, as at ingest
            ApiKeys keys = ApiKeys.follow(Topics.KEYS, config.kafka().consumer(config.instanceId() + "-keys"));
            shutdown.then("api keys", keys);
            EndpointRegistry registry = new EndpointRegistry(config.kafka().consumer(config.instanceId() + "-endpoints")).start();
            shutdown.then("endpoint registry", registry);
            DeliveryLog deliveryLog = new DeliveryLog(config.kafka().consumer(config.instanceId() + "-deliveries"),
                    config.history()).start();
            shutdown.then("delivery log", deliveryLog);
            ObjectStorage storage = ObjectStorage.connect(config.s3(), Duration.ofSeconds(30));
            shutdown.then("object storage client", storage);

            AddressPolicy addresses = new AddressPolicy(config.allowedNetworks());
            HttpClient client = httpClient(addresses);
            shutdown.then("http client", client::stop);
            Secrets secrets = new Secrets(config.secretKey());

            fanOutRef.set(new FanOut(new KafkaConsumer<>(config.kafka().consumer(FanOut.GROUP_ID), new StringDeserializer(),
                    new ByteArrayDeserializer()), registry, new VideoOwners(storage), records, deadLetters, clock, meters));
            fanOutRef.get().start();
            workerRef.set(new DeliveryWorker(new KafkaConsumer<>(config.kafka().consumer(DeliveryWorker.GROUP_ID),
                    new StringDeserializer(), new ByteArrayDeserializer()), registry, records, deadLetters,
                    new Sender(client, config.timeout()), secrets, config.retry(), config.disable(), config.concurrency(), clock,
                    meters));
            workerRef.get().start();

            Gauge.builder("reel.webhooks.endpoints", registry, EndpointRegistry::size).register(meters);
            Readiness readiness = new Readiness()
                    .add("api-keys", keys::isCaughtUp)
                    .add("endpoint-registry", registry::isCaughtUp)
                    .add("delivery-log", deliveryLog::isCaughtUp)
                    .add("fan-out", fanOutRef.get()::isPolling)
                    .add("delivery-worker", workerRef.get()::isPolling);
            WebhooksHandler api = new WebhooksHandler(keys, registry, deliveryLog, records, secrets,
                    new UrlPolicy(addresses), config.previousSecretValidity(), clock);
            http.set(HttpServers.start(WebhooksConfig.SERVICE, config.bindHost(), config.port(), HttpServers.SMALL_BODIES,
                    new GracefulHandler(new OpsHandler(readiness, meters, api))));
            log.info("webhooks {} listening on http://{}:{}", config.instanceId(), config.bindHost(),
                    HttpServers.port(http.get()));
            return new WebhooksService(http.get(), shutdown);
        } catch (Exception e) {
            shutdown.close();
            throw e;
        }
    }

    /** Redirects off (a redirect could point anywhere), every connection through the guarded resolver. */
    private static HttpClient httpClient(AddressPolicy addresses) throws Exception {
        HttpClient client = new HttpClient();
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("webhook-client");
        client.setExecutor(threads);
        ScheduledExecutorScheduler scheduler = new ScheduledExecutorScheduler("webhook-client-scheduler", true);
        client.setScheduler(scheduler);
        client.setSocketAddressResolver(new GuardedResolver(new SocketAddressResolver.Async(threads, scheduler, 15_000),
                addresses));
        client.setFollowRedirects(false);
        client.setConnectTimeout(5_000);
        client.setUserAgentField(new org.eclipse.jetty.http.HttpField(org.eclipse.jetty.http.HttpHeader.USER_AGENT,
                "Reel-Webhooks/1"));
        client.start();
        return client;
    }

    private static void close(AutoCloseable closeable) throws Exception {
        if (closeable != null) {
            closeable.close();
        }
    }

    public int port() {
        return HttpServers.port(server);
    }

    @Override
    public void close() {
        shutdown.run();
    }
}
