package dev.reel.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reel.service.config.InvalidConfigException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The environment each service is given in docker-compose.yml and k8s/ matches what its code reads: no unknown
 * variable (a typo would be silently ignored), every required one set, the port variable equal to every port
 * declared for it, and the service's own configuration class accepting it once the placeholders are replaced.
 */
class ServiceEnvironmentTest {

    static final String PLACEHOLDER = "change-me";
    /** What a user puts in place of each placeholder: values the services must accept. */
    private static final Map<String, String> REAL_SECRETS = Map.of(
            "REEL_S3_ACCESS_KEY", "reel-storage",
            "REEL_S3_SECRET_KEY", "8f1d6c0e2b7a4c35a9e0",
            "REEL_PLAYBACK_TOKEN_KEY", "0123456789abcdef0123456789abcdef01234567",
            "REEL_WEBHOOKS_SECRET_KEY", "fedcba9876543210fedcba9876543210fedcba98");

    private static List<Deployment> all(Map<String, String> composeEnv, Manifests manifests) {
        return Stream.concat(Deployment.inCompose(composeEnv).stream(), Deployment.inKubernetes(manifests).stream()).toList();
    }

    @Test
    void everyServiceIsDeployedInBothForms() {
        assertThat(Deployment.inCompose(ComposeFile.envExample())).extracting(Deployment::service)
                .containsAll(EnumSet.allOf(Service.class));
        assertThat(Deployment.inKubernetes(new Manifests())).extracting(Deployment::service)
                .containsExactlyInAnyOrder(Service.values());
    }

    @Test
    void everyVariableGivenIsOneTheServiceReads() {
        for (Deployment d : all(ComposeFile.envExample(), new Manifests())) {
            Set<String> read = VariablesInCode.readBy(d.service().module);
            List<String> given = d.environment().keySet().stream().filter(name -> name.startsWith("REEL_")).toList();

            assertThat(read).as(d.where() + ": variables its code reads").containsAll(given);
        }
    }

    @Test
    void theLaunchersVariablesAreOnesItReads() {
        Set<String> read = VariablesInCode.readBy("infra/launcher");
        Manifests manifests = new Manifests();
        manifests.containers().stream().filter(c -> c.image().startsWith("reel/launcher:"))
                .forEach(c -> assertThat(read).as(c.workload()).containsAll(manifests.environment(c).keySet()));
    }

    @Test
    void everyRequiredVariableIsSetAndThePortIsTheOneDeclared() {
        for (Deployment d : all(ComposeFile.envExample(), new Manifests())) {
            assertThat(d.environment()).as(d.where()).containsKeys(d.service().requiredInDeployment.toArray(String[]::new));
            assertThat(d.environment()).as(d.where() + ": containers must listen on every interface")
                    .containsEntry("REEL_BIND_HOST", "0.0.0.0");
            assertThat(d.ports()).as(d.where() + ": ports declared for " + d.service().portVariable).isNotEmpty()
                    .allSatisfy(port -> assertThat(port).isEqualTo(d.port()));
            assertThat(JibImages.of(d.service()).ports()).as(d.where() + ": the image's port").containsExactly(d.port());
        }
    }

    @Test
    void kubernetesServicesExposeTheirPodsPorts() {
        Manifests manifests = new Manifests();
        for (Deployment d : Deployment.inKubernetes(manifests)) {
            String app = d.where().substring(d.where().indexOf('/') + 1);
            JsonNode service = manifests.ofKind("Service").stream()
                    .filter(s -> s.path("spec").path("selector").path("app").asText().equals(app))
                    .findFirst().orElse(null);
            if (service != null) {
                service.path("spec").path("ports").forEach(p -> assertThat(p.path("port").asInt())
                        .as("Service " + service.path("metadata").path("name").asText()).isEqualTo(d.port()));
            }
        }
    }

    @Test
    void theServicesAcceptTheirEnvironmentOnceThePlaceholdersAreReplaced() {
        Map<String, String> dotEnv = new HashMap<>(ComposeFile.envExample());
        REAL_SECRETS.forEach(dotEnv::put);
        for (Deployment d : all(dotEnv, new Manifests())) {
            Map<String, String> env = new HashMap<>(d.environment());
            env.replaceAll((name, value) -> PLACEHOLDER.equals(value) ? REAL_SECRETS.get(name) : value);

            d.service().configure(env); // throws InvalidConfigException naming every problem
        }
    }

    @Test
    void thePlaceholderSecretsAreRefusedLoudly() {
        List<String> checked = new ArrayList<>();
        for (Deployment d : all(ComposeFile.envExample(), new Manifests())) {
            if (d.service() == Service.INGEST) {
                assertThatThrownBy(() -> d.service().configure(d.environment())).as(d.where())
                        .isInstanceOf(InvalidConfigException.class)
                        .hasMessageContaining("REEL_PLAYBACK_TOKEN_KEY");
                checked.add(d.where());
            } else if (d.service() == Service.WEBHOOKS) {
                assertThatThrownBy(() -> d.service().configure(d.environment())).as(d.where())
                        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("REEL_WEBHOOKS_SECRET_KEY");
                checked.add(d.where());
            } else if (d.service() == Service.EDGE || d.service() == Service.CATALOG || d.service() == Service.ANALYTICS) {
                assertThatThrownBy(() -> d.service().configure(d.environment())).as(d.where())
                        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("REEL_PLAYBACK_TOKEN_KEY");
                checked.add(d.where());
            }
        }
        assertThat(checked).hasSize(12); // in compose: ingest, webhooks, edge, 2 catalogs, 2 analytics; in Kubernetes one each

        // S3 keys are not validated by the services: the storage one-shots refuse them (and compose waits for it).
        // (Compose writes a shell's $ as $$.)
        Map<String, String> guards = Map.of(
                Repo.read(ComposeFile.FILE), "$$", Repo.read(Manifests.DIR.resolve("setup-jobs.yaml")), "$");
        guards.forEach((script, dollar) -> assertThat(script)
                .contains("[ \"" + dollar + "REEL_S3_ACCESS_KEY\" = change-me ]")
                .contains("[ \"" + dollar + "REEL_S3_SECRET_KEY\" = change-me ]"));
        ComposeFile.with(ComposeFile.envExample()).services().forEach((name, spec) -> {
            if (Service.ofImage(spec.path("image").asText()).filter(s -> s != Service.CATALOG && s != Service.ANALYTICS)
                    .isPresent()) {
                assertThat(spec.path("depends_on").path("storage-init").path("condition").asText()).as(name)
                        .isEqualTo("service_completed_successfully");
            }
        });
    }

    @Test
    void secretsAreOnlyPlaceholdersAndComposeRefusesToStartWithoutThem() {
        Map<String, String> example = ComposeFile.envExample();
        List<String> secrets = List.copyOf(REAL_SECRETS.keySet());
        assertThat(example).as(".env.example").containsKeys(secrets.toArray(String[]::new));
        secrets.forEach(name -> assertThat(example.get(name)).as(name).isEqualTo(PLACEHOLDER));
        JsonNode secret = new Manifests().named("Secret", "reel-secrets").orElseThrow();
        assertThat(secret.path("stringData").properties()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrderElementsOf(secrets);
        secret.path("stringData").forEach(value -> assertThat(value.asText()).isEqualTo(PLACEHOLDER));

        assertThatThrownBy(() -> ComposeFile.with(Map.of()))
                .hasMessageContaining("REEL_S3_ACCESS_KEY").hasMessageContaining("REEL_S3_SECRET_KEY")
                .hasMessageContaining("REEL_PLAYBACK_TOKEN_KEY").hasMessageContaining("REEL_WEBHOOKS_SECRET_KEY");
    }
}
