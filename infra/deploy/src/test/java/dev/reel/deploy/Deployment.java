package dev.reel.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One place a Reel service runs in the deployment files: a compose service or a Kubernetes container.
 *
 * @param where       for messages: file and service/workload
 * @param service     which of the four services its image runs
 * @param environment the REEL_* (and other) variables it is given, resolved
 * @param ports       every port the file declares for it: compose {@code expose}, container ports and probe ports
 */
record Deployment(String where, Service service, Map<String, String> environment, List<Integer> ports) {

    /** The four services in docker-compose.yml, as interpolated with {@code variables} as .env. */
    static List<Deployment> inCompose(Map<String, String> variables) {
        List<Deployment> deployments = new ArrayList<>();
        ComposeFile.with(variables).services()
                .forEach((name, spec) -> Service.ofImage(spec.path("image").asText()).ifPresent(service -> {
                    List<Integer> ports = new ArrayList<>();
                    spec.path("expose").forEach(p -> ports.add(Integer.parseInt(p.asText())));
                    deployments.add(new Deployment("docker-compose.yml service " + name, service,
                            ComposeFile.environment(spec), ports));
                }));
        return deployments;
    }

    /** The four services' containers in k8s/*.yaml, with the Secret's values as committed (placeholders). */
    static List<Deployment> inKubernetes(Manifests manifests) {
        List<Deployment> deployments = new ArrayList<>();
        for (Manifests.Container container : manifests.containers()) {
            Service.ofImage(container.image()).ifPresent(service -> {
                JsonNode spec = container.spec();
                List<Integer> ports = new ArrayList<>();
                spec.path("ports").forEach(p -> ports.add(p.path("containerPort").asInt()));
                for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
                    JsonNode port = spec.path(probe).path("httpGet").path("port");
                    if (!port.isMissingNode()) {
                        ports.add(port.asInt());
                    }
                }
                deployments.add(new Deployment("k8s " + container.workload(), service, manifests.environment(container), ports));
            });
        }
        return deployments;
    }

    int port() {
        String value = environment.get(service.portVariable);
        if (value == null) {
            throw new AssertionError(where + " does not set " + service.portVariable);
        }
        return Integer.parseInt(value);
    }
}
