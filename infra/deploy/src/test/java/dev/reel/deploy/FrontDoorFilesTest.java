package dev.reel.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.frontdoor.Backend;
import dev.reel.frontdoor.FrontDoor;
import dev.reel.frontdoor.HaproxyConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The static haproxy.cfg files (compose and the Kubernetes ConfigMap) are valid for HAProxy, say everything the
 * launcher's generated front door says (routes, balancing, retries, checks), and send each backend to the
 * service it is named after, on that service's port.
 */
class FrontDoorFilesTest {

    private static final Map<String, Service> BACKENDS = Map.of(
            "edges", Service.EDGE, "downloads", Service.EDGE, "ingest", Service.INGEST, "catalog", Service.CATALOG,
            "analytics", Service.ANALYTICS, "webhooks", Service.WEBHOOKS);
    private static final String K8S_DOMAIN = ".reel.svc.cluster.local";

    static HaproxyFile compose() {
        Path file = Repo.DEPLOY.resolve("haproxy/haproxy.cfg");
        return HaproxyFile.parse(file.toString(), Repo.read(file));
    }

    static HaproxyFile kubernetes() {
        String text = new Manifests().named("ConfigMap", "haproxy").orElseThrow().path("data").path("haproxy.cfg").asText();
        return HaproxyFile.parse("k8s ConfigMap haproxy", text);
    }

    @Test
    void haproxyAcceptsBothFiles() throws Exception {
        for (HaproxyFile cfg : List.of(compose(), kubernetes())) {
            Path file = Files.createTempFile("reel-haproxy", ".cfg");
            try {
                Files.writeString(file, cfg.text());
                Process check = start(List.of("haproxy", "-c", "-f", file.toString()));
                String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(check.exitValue()).as(cfg.where() + ": haproxy -c says\n" + output).isZero();
            } finally {
                Files.delete(file);
            }
        }
    }

    @Test
    void bothFilesSayWhatTheGeneratedFrontDoorSays() {
        String generated = HaproxyConfig.render(new FrontDoor("127.0.0.1", 8080,
                List.of(new Backend("edge-1", "127.0.0.1", 8081)), List.of(new Backend("ingest-1", "127.0.0.1", 8090)),
                List.of(new Backend("catalog-1", "127.0.0.1", 8091)), List.of(new Backend("analytics-1", "127.0.0.1", 8131)),
                List.of(new Backend("webhooks-1", "127.0.0.1", 8095)),
                8404));
        HaproxyFile reference = HaproxyFile.parse("HaproxyConfig.render", generated);

        for (HaproxyFile cfg : List.of(compose(), kubernetes())) {
            assertThat(cfg.sections().keySet()).as(cfg.where()).containsAll(reference.sections().keySet());
            reference.sections().forEach((section, directives) -> directives.stream()
                    .filter(d -> !d.startsWith("server ") && !d.startsWith("bind "))
                    // the static file may add options to a directive (default-server ... resolvers), never drop one
                    .forEach(d -> assertThat(cfg.sections().get(section)).as(cfg.where() + " [" + section + "]")
                            .anySatisfy(line -> assertThat(line.equals(d) || line.startsWith(d + " ")).as(line).isTrue())));
        }
    }

    @Test
    void composeBackendsAreComposeServicesOnTheirPorts() {
        Map<String, Deployment> byName = new HashMap<>();
        Deployment.inCompose(ComposeFile.envExample())
                .forEach(d -> byName.put(d.where().substring(d.where().lastIndexOf(' ') + 1), d));
        List<HaproxyFile.Server> servers = compose().servers();

        assertThat(servers).extracting(HaproxyFile.Server::backend).containsAll(BACKENDS.keySet());
        for (HaproxyFile.Server server : servers) {
            Deployment target = byName.get(server.host());
            assertThat(target).as(server + " names a compose service").isNotNull();
            assertThat(target.service()).as(server.toString()).isEqualTo(BACKENDS.get(server.backend()));
            assertThat(server.port()).as(server.toString()).isEqualTo(target.port());
        }
    }

    @Test
    void kubernetesBackendsAreHeadlessServicesOfTheirPods() {
        Manifests manifests = new Manifests();
        List<Deployment> deployments = Deployment.inKubernetes(manifests);
        List<HaproxyFile.Server> servers = kubernetes().servers();

        assertThat(servers).extracting(HaproxyFile.Server::backend).containsExactlyInAnyOrderElementsOf(BACKENDS.keySet());
        for (HaproxyFile.Server server : servers) {
            assertThat(server.host()).as(server + ": HAProxy's resolver needs the full name").endsWith(K8S_DOMAIN);
            String name = server.host().substring(0, server.host().length() - K8S_DOMAIN.length());
            var service = manifests.named("Service", name).orElse(null);
            assertThat(service).as(server + " names a Service").isNotNull();
            assertThat(service.path("spec").path("clusterIP").asText()).as(name + " is headless: one address per pod")
                    .isEqualTo("None");
            String app = service.path("spec").path("selector").path("app").asText();
            Deployment target = deployments.stream().filter(d -> d.where().endsWith("/" + app)).findFirst().orElse(null);
            assertThat(target).as(server + ": Service " + name + " selects a Reel workload").isNotNull();
            assertThat(target.service()).isEqualTo(BACKENDS.get(server.backend()));
            assertThat(server.port()).as(server.toString()).isEqualTo(target.port());
        }
    }

    private static Process start(List<String> command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            // haproxy -c resolves every server name with libc, and a test machine has none of the names: a DNS server
            // that drops such a query costs its 5 s timeout per name. One try of 1 s is enough to fail (glibc reads this).
            builder.environment().put("RES_OPTIONS", "timeout:1 attempts:1");
            return builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("haproxy is needed to check the front door files: apt-get install -y haproxy", e);
        }
    }
}
