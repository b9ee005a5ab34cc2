package dev.reel.webhooks.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reel.events.publish.EventWriteException;
import dev.reel.events.webhooks.EndpointEvent;
import dev.reel.service.auth.ApiKeys;
import dev.reel.service.http.ApiException;
import dev.reel.service.http.JsonBodies;
import dev.reel.service.http.Responses;
import dev.reel.webhooks.delivery.Delivery;
import dev.reel.webhooks.delivery.DeliveryLog;
import dev.reel.webhooks.delivery.EndpointHealth;
import dev.reel.webhooks.endpoints.Endpoint;
import dev.reel.webhooks.endpoints.EndpointRegistry;
import dev.reel.webhooks.kafka.WebhookRecords;
import dev.reel.webhooks.signing.Secrets;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/webhooks}, for the owner of the request's API key (the keys ingest uses, same header):
 *
 * <pre>
 * POST   /api/webhooks                      register {url, events, description?}; the answer has the secret
 * GET    /api/webhooks                      the owner's endpoints
 * GET    /api/webhooks/{id}                 one, with its health and why it is disabled
 * PATCH  /api/webhooks/{id}                 change url, events, description, enabled
 * DELETE /api/webhooks/{id}                 delete
 * POST   /api/webhooks/{id}/rotate-secret   a new secret; the old one still signs for a while
 * GET    /api/webhooks/{id}/deliveries      recent deliveries, newest first, with every attempt (?limit=, max 200)
 * </pre>
 *
 * Every change is an event on {@code reel.webhooks}, written (acks=all) and read back by this instance's registry
 * before the answer, so the next request sees it. Another owner's endpoint is 404, as an unknown one.
 */
public final class WebhooksHandler extends Handler.Abstract {

    private static final Logger log = LoggerFactory.getLogger(WebhooksHandler.class);
    public static final String PATH = "/api/webhooks";
    private static final int MAX_BODY = 16 * 1024;
    private static final int MAX_DESCRIPTION = 500;
    private static final int MAX_ENDPOINTS_PER_OWNER = 100;
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 200;

    private final ApiKeys keys;
    private final EndpointRegistry registry;
    private final DeliveryLog deliveries;
    private final WebhookRecords records;
    private final Secrets secrets;
    private final UrlPolicy urls;
    private final Duration previousSecretValidity;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public WebhooksHandler(ApiKeys keys, EndpointRegistry registry, DeliveryLog deliveries, WebhookRecords records,
            Secrets secrets, UrlPolicy urls, Duration previousSecretValidity, Clock clock) {
        this.keys = keys;
        this.registry = registry;
        this.deliveries = deliveries;
        this.records = records;
        this.secrets = secrets;
        this.urls = urls;
        this.previousSecretValidity = previousSecretValidity;
        this.clock = clock;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!path.equals(PATH) && !path.startsWith(PATH + "/")) {
            return Responses.error(request, response, callback, HttpStatus.NOT_FOUND_404, "no such resource");
        }
        try {
            String owner = keys.ownerOf(request.getHeaders().get(HttpHeader.AUTHORIZATION))
                    .orElseThrow(() -> new ApiException(HttpStatus.UNAUTHORIZED_401,
                            "an API key is required: Authorization: Bearer <key>"));
            String[] parts = path.substring(PATH.length()).replaceAll("^/|/$", "").split("/", -1);
            route(owner, parts, request, response, callback);
        } catch (ApiException e) {
            if (e.status() == HttpStatus.UNAUTHORIZED_401) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"reel\"");
            }
            Responses.failure(request, response, callback, e);
        } catch (EventWriteException e) {
            Responses.failure(request, response, callback,
                    new ApiException(HttpStatus.SERVICE_UNAVAILABLE_503, "the event log is unavailable, try again", e));
        } catch (IOException e) {
            Responses.error(request, response, callback, HttpStatus.BAD_REQUEST_400, "the request body ended early");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Responses.failure(request, response, callback, e);
        } catch (RuntimeException e) {
            Responses.failure(request, response, callback, e);
        }
        return true;
    }

    private void route(String owner, String[] parts, Request request, Response response, Callback callback)
            throws IOException, EventWriteException, InterruptedException {
        String method = request.getMethod();
        if (parts.length == 1 && parts[0].isEmpty()) {
            switch (method) {
                case "POST" -> register(owner, request, response, callback);
                case "GET" -> Responses.json(request, response, callback, HttpStatus.OK_200,
                        Map.of("webhooks", registry.ofOwner(owner).stream().map(this::view).toList()));
                default -> notAllowed(response, "GET, POST");
            }
            return;
        }
        Endpoint endpoint = owned(owner, parts[0]);
        if (parts.length == 1) {
            switch (method) {
                case "GET" -> Responses.json(request, response, callback, HttpStatus.OK_200, view(endpoint));
                case "PATCH" -> change(endpoint, request, response, callback);
                case "DELETE" -> delete(endpoint, request, response, callback);
                default -> notAllowed(response, "GET, PATCH, DELETE");
            }
        } else if (parts.length == 2 && parts[1].equals("rotate-secret")) {
            if (!method.equals("POST")) {
                notAllowed(response, "POST");
            }
            rotate(endpoint, request, response, callback);
        } else if (parts.length == 2 && parts[1].equals("deliveries")) {
            if (!method.equals("GET")) {
                notAllowed(response, "GET");
            }
            listDeliveries(endpoint, request, response, callback);
        } else {
            throw new ApiException(HttpStatus.NOT_FOUND_404, "no such resource");
        }
    }

    private void register(String owner, Request request, Response response, Callback callback)
            throws IOException, EventWriteException, InterruptedException {
        JsonNode body = JsonBodies.readObject(request, MAX_BODY);
        String url = urls.check(JsonBodies.text(body, "url"));
        List<String> types = EventTypes.check(stringList(body, "events", true));
        String description = description(body);
        if (registry.ofOwner(owner).size() >= MAX_ENDPOINTS_PER_OWNER) {
            throw new ApiException(HttpStatus.CONFLICT_409, "an owner may have at most " + MAX_ENDPOINTS_PER_OWNER + " webhooks");
        }
        String id = newId();
        String secret = secrets.generate();
        registry.awaitApplied(records.publish(new EndpointEvent.Registered(id, owner, url, types, description,
                secrets.seal(id, secret), clock.instant())));
        log.info("webhook {} registered by {} for {} at {}", id, owner, types, url);
        Map<String, Object> answer = view(registry.get(id).orElseThrow(() -> new IllegalStateException("not read back")));
        answer.put("secret", secret);
        response.getHeaders().put(HttpHeader.LOCATION, PATH + "/" + id);
        Responses.json(request, response, callback, HttpStatus.CREATED_201, answer);
    }

    private void change(Endpoint endpoint, Request request, Response response, Callback callback)
            throws IOException, EventWriteException, InterruptedException {
        JsonNode body = JsonBodies.readObject(request, MAX_BODY);
        String urlText = JsonBodies.text(body, "url");
        String url = urlText == null ? null : urls.check(urlText);
        List<String> typesGiven = stringList(body, "events", false);
        List<String> types = typesGiven == null ? null : EventTypes.check(typesGiven);
        String description = description(body);
        Boolean enabled = JsonBodies.bool(body, "enabled");
        if (url == null && types == null && description == null && enabled == null) {
            throw new ApiException(HttpStatus.BAD_REQUEST_400, "send at least one of url, events, description, enabled");
        }
        registry.awaitApplied(records.publish(new EndpointEvent.Updated(endpoint.id(), url, types, description, enabled,
                clock.instant())));
        log.info("webhook {} changed by {}", endpoint.id(), endpoint.owner());
        Responses.json(request, response, callback, HttpStatus.OK_200, view(registry.get(endpoint.id()).orElseThrow()));
    }

    private void delete(Endpoint endpoint, Request request, Response response, Callback callback)
            throws EventWriteException, InterruptedException {
        registry.awaitApplied(records.publish(new EndpointEvent.Deleted(endpoint.id(), clock.instant())));
        log.info("webhook {} deleted by {}", endpoint.id(), endpoint.owner());
        Responses.json(request, response, callback, HttpStatus.OK_200, Map.of("id", endpoint.id(), "deleted", true));
    }

    private void rotate(Endpoint endpoint, Request request, Response response, Callback callback)
            throws EventWriteException, InterruptedException {
        String secret = secrets.generate();
        Instant now = clock.instant();
        Instant previousUntil = now.plus(previousSecretValidity);
        registry.awaitApplied(records.publish(new EndpointEvent.SecretRotated(endpoint.id(), secrets.seal(endpoint.id(), secret),
                previousUntil, now)));
        log.info("webhook {} secret rotated by {}", endpoint.id(), endpoint.owner());
        Map<String, Object> answer = view(registry.get(endpoint.id()).orElseThrow());
        answer.put("secret", secret);
        Responses.json(request, response, callback, HttpStatus.OK_200, answer);
    }

    private void listDeliveries(Endpoint endpoint, Request request, Response response, Callback callback) {
        String limitText = Request.extractQueryParameters(request).getValue("limit");
        int limit = DEFAULT_LIMIT;
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                limit = 0;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new ApiException(HttpStatus.BAD_REQUEST_400, "limit must be 1-" + MAX_LIMIT);
            }
        }
        List<Map<String, Object>> list = deliveries.ofEndpoint(endpoint.id(), limit).stream().map(WebhooksHandler::view).toList();
        Responses.json(request, response, callback, HttpStatus.OK_200, Map.of("webhookId", endpoint.id(), "deliveries", list));
    }

    private Endpoint owned(String owner, String id) {
        return registry.get(id).filter(e -> e.owner().equals(owner))
                .orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND_404, "no such webhook"));
    }

    private static void notAllowed(Response response, String allow) {
        response.getHeaders().put(HttpHeader.ALLOW, allow);
        throw new ApiException(HttpStatus.METHOD_NOT_ALLOWED_405, "method not allowed here; use " + allow);
    }

    private String newId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return "wh_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String description(JsonNode body) {
        String description = JsonBodies.text(body, "description");
        if (description != null && description.length() > MAX_DESCRIPTION) {
            throw new ApiException(HttpStatus.BAD_REQUEST_400, "description is longer than " + MAX_DESCRIPTION + " characters");
        }
        return description;
    }

    private static List<String> stringList(JsonNode body, String field, boolean required) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw new ApiException(HttpStatus.BAD_REQUEST_400, field + " is required: a list of event types, or [\"*\"]");
            }
            return null;
        }
        if (!node.isArray()) {
            throw new ApiException(HttpStatus.BAD_REQUEST_400, field + " must be a list of strings");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw new ApiException(HttpStatus.BAD_REQUEST_400, field + " must be a list of strings");
            }
            values.add(item.asText());
        }
        return values;
    }

    private Map<String, Object> view(Endpoint endpoint) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", endpoint.id());
        view.put("url", endpoint.url());
        view.put("events", endpoint.eventTypes());
        view.put("description", endpoint.description());
        view.put("enabled", endpoint.enabled());
        view.put("disabledReason", endpoint.disabledReason());
        view.put("disabledAt", endpoint.disabledAt());
        view.put("previousSecretValidUntil", endpoint.previousSealedSecret() == null ? null : endpoint.previousValidUntil());
        view.put("createdAt", endpoint.createdAt());
        view.put("updatedAt", endpoint.updatedAt());
        EndpointHealth health = deliveries.health(endpoint.id());
        Map<String, Object> healthView = new LinkedHashMap<>();
        healthView.put("lastSuccessAt", health.lastSuccessAt());
        healthView.put("failingSince", health.failingSince());
        healthView.put("consecutiveFailures", health.consecutiveFailures());
        healthView.put("lastError", health.lastError());
        view.put("health", healthView);
        return view;
    }

    private static Map<String, Object> view(Delivery delivery) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", delivery.id());
        view.put("eventId", delivery.eventId());
        view.put("eventType", delivery.eventType());
        view.put("videoId", delivery.videoId());
        view.put("state", delivery.state().name());
        view.put("createdAt", delivery.createdAt());
        view.put("nextAttemptAt", delivery.nextAttemptAt());
        view.put("reason", delivery.reason());
        view.put("attempts", delivery.attempts());
        return view;
    }
}
