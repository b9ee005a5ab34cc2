package dev.reel.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

/** Every YAML file parses, and the Kubernetes objects are well-formed enough for {@code kubectl apply -k}. */
class YamlFilesTest {

    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace");

    @Test
    void composeFileParsesWithTheExampleEnvironment() {
        ComposeFile compose = ComposeFile.with(ComposeFile.envExample());

        assertThat(compose.services()).containsKeys("kafka-1", "kafka-2", "kafka-3", "minio", "storage-init", "topics",
                "ingest", "transcoder", "catalog-1", "catalog-2", "analytics-1", "analytics-2", "edge", "webhooks",
                "haproxy");
        compose.services().forEach((name, spec) -> assertThat(spec.path("image").asText()).as(name).isNotBlank());
    }

    @Test
    void everyKubernetesDocumentIsAnObjectInTheReelNamespace() {
        List<Path> files = Repo.files(Manifests.DIR, ".yaml");
        assertThat(files).isNotEmpty();
        int objects = 0;
        for (Path file : files) {
            List<JsonNode> documents = Repo.yamlDocuments(file);
            assertThat(documents).as(file.toString()).isNotEmpty();
            if (file.getFileName().toString().equals("kustomization.yaml")) {
                continue;
            }
            for (JsonNode object : documents) {
                String what = file.getFileName() + " " + object.path("kind").asText() + "/"
                        + object.path("metadata").path("name").asText();
                assertThat(object.path("apiVersion").asText()).as(what + " apiVersion").isNotBlank();
                assertThat(object.path("kind").asText()).as(what + " kind").isNotBlank();
                assertThat(object.path("metadata").path("name").asText()).as(what + " name")
                        .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
                if (!CLUSTER_SCOPED.contains(object.path("kind").asText())) {
                    assertThat(object.path("metadata").path("namespace").asText()).as(what + " namespace").isEqualTo("reel");
                }
                objects++;
            }
        }
        assertThat(objects).isGreaterThan(15);
    }

    @Test
    void workloadSelectorsMatchTheirPodLabels() {
        for (JsonNode workload : new Manifests().objects) {
            JsonNode selector = workload.path("spec").path("selector").path("matchLabels");
            if (workload.path("spec").has("template") && !selector.isMissingNode()) {
                JsonNode labels = workload.path("spec").path("template").path("metadata").path("labels");
                selector.properties().forEach(e -> assertThat(labels.path(e.getKey()).asText())
                        .as(workload.path("metadata").path("name").asText() + " selector " + e.getKey())
                        .isEqualTo(e.getValue().asText()));
            }
        }
    }

    @Test
    void kustomizationListsEveryManifestAndOnlyThose() {
        JsonNode kustomization = Repo.yamlDocuments(Manifests.DIR.resolve("kustomization.yaml")).getFirst();
        List<String> listed = new ArrayList<>();
        kustomization.path("resources").forEach(r -> listed.add(r.asText()));
        List<String> present = Repo.files(Manifests.DIR, ".yaml").stream()
                .map(f -> f.getFileName().toString())
                .filter(f -> !f.equals("kustomization.yaml"))
                .toList();

        assertThat(listed).containsExactlyInAnyOrderElementsOf(present);
    }

    @Test
    void kafkaClusterIdsAreKafkaUuids() {
        List<String> ids = new ArrayList<>();
        ComposeFile.with(ComposeFile.envExample()).services().values()
                .forEach(s -> ComposeFile.environment(s).computeIfPresent("CLUSTER_ID", (k, v) -> {
                    ids.add(v);
                    return v;
                }));
        Manifests manifests = new Manifests();
        manifests.containers().forEach(c -> {
            String id = manifests.environment(c).get("CLUSTER_ID");
            if (id != null) {
                ids.add(id);
            }
        });

        assertThat(ids).hasSize(4).allSatisfy(Uuid::fromString);
    }
}
