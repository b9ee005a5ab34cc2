package dev.reel.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Every Kubernetes object under k8s/ and what a container's environment resolves to once applied. */
final class Manifests {

    static final Path DIR = Repo.DEPLOY.resolve("k8s");
    /** What the downward API gives a pod in these manifests; values only need to be plausible. */
    private static final Map<String, String> FIELD_SAMPLES = Map.of(
            "metadata.name", "reel-pod-0",
            "metadata.labels['apps.kubernetes.io/pod-index']", "0");
    private static final Pattern DEPENDENT = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    /** A container of a workload: its kind/name and its spec. */
    record Container(String workload, JsonNode spec) {
        String image() {
            return spec.path("image").asText();
        }
    }

    final List<JsonNode> objects = new ArrayList<>();

    Manifests() {
        for (Path file : Repo.files(DIR, ".yaml")) {
            if (!file.getFileName().toString().equals("kustomization.yaml")) {
                objects.addAll(Repo.yamlDocuments(file));
            }
        }
    }

    List<JsonNode> ofKind(String kind) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
    }

    Optional<JsonNode> named(String kind, String name) {
        return ofKind(kind).stream().filter(o -> o.path("metadata").path("name").asText().equals(name)).findFirst();
    }

    List<Container> containers() {
        List<Container> containers = new ArrayList<>();
        for (JsonNode o : objects) {
            JsonNode podSpec = o.path("spec").path("template").path("spec");
            for (JsonNode c : podSpec.path("containers")) {
                containers.add(new Container(o.path("kind").asText() + "/" + o.path("metadata").path("name").asText(), c));
            }
        }
        return containers;
    }

    /** The container's environment as Kubernetes resolves it: literals, ConfigMap and Secret keys, downward API, $(VAR). */
    Map<String, String> environment(Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode var : container.spec().path("env")) {
            String name = var.path("name").asText();
            JsonNode from = var.path("valueFrom");
            String value;
            if (var.has("value")) {
                value = expand(var.path("value").asText(), env);
            } else if (from.has("configMapKeyRef")) {
                value = key("ConfigMap", "data", from.path("configMapKeyRef"), container);
            } else if (from.has("secretKeyRef")) {
                value = key("Secret", "stringData", from.path("secretKeyRef"), container);
            } else if (from.has("fieldRef")) {
                String field = from.path("fieldRef").path("fieldPath").asText();
                value = FIELD_SAMPLES.get(field);
                if (value == null) {
                    throw new AssertionError(container.workload() + ": " + name + " uses an unexpected fieldRef " + field);
                }
            } else {
                throw new AssertionError(container.workload() + ": " + name + " has no value this test understands");
            }
            env.put(name, value);
        }
        return env;
    }

    private String key(String kind, String field, JsonNode ref, Container container) {
        String name = ref.path("name").asText();
        String key = ref.path("key").asText();
        JsonNode data = named(kind, name)
                .orElseThrow(() -> new AssertionError(container.workload() + " refers to the missing " + kind + " " + name))
                .path(field).path(key);
        if (data.isMissingNode()) {
            throw new AssertionError(container.workload() + " refers to the missing key " + key + " of " + kind + " " + name);
        }
        return data.asText();
    }

    /** Kubernetes expands $(NAME) with variables defined earlier in the list. */
    private static String expand(String value, Map<String, String> earlier) {
        Matcher m = DEPENDENT.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(earlier.getOrDefault(m.group(1), m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }
}
