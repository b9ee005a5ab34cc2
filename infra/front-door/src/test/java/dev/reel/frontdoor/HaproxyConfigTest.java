package dev.reel.frontdoor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HaproxyConfigTest {

    private static final FrontDoor DOOR = new FrontDoor("127.0.0.1", 8080,
            List.of(new Backend("edge-1", "127.0.0.1", 8081), new Backend("edge-2", "127.0.0.1", 8082)),
            List.of(new Backend("ingest-1", "127.0.0.1", 8090)), List.of(new Backend("catalog-1", "127.0.0.1", 8070)), 0);

    @Test
    void routesApisAndHashesEdgeUrisConsistently() {
        String cfg = HaproxyConfig.render(DOOR);
        assertThat(cfg).contains(
                "bind 127.0.0.1:8080",
                "acl to_ingest path_beg /api/videos /api/uploads\n",
                "    use_backend ingest if to_ingest",
                "acl to_catalog path_beg /api/catalog/\n    use_backend catalog if to_catalog",
                "default_backend edges",
                "backend edges\n    balance uri\n    hash-type consistent\n    retry-on conn-failure empty-response response-timeout 503",
                "option redispatch 1",
                "http-check send meth GET uri /readyz",
                "server edge-1 127.0.0.1:8081 check\n    server edge-2 127.0.0.1:8082 check",
                "server ingest-1 127.0.0.1:8090 check",
                "server catalog-1 127.0.0.1:8070 check");
        assertThat(cfg.substring(cfg.indexOf("backend ingest"))).contains("retry-on conn-failure\n");
        assertThat(HaproxyConfig.render(DOOR)).isEqualTo(cfg);
    }

    @Test
    void keepsMetricsPrivateAndNeverAnswersATusResume503() {
        String cfg = HaproxyConfig.render(DOOR);
        assertThat(cfg).contains("http-request return status 404", "if { path /metrics }",
                "http-request return status 423", "if tus_resume tus_upload { nbsrv(ingest) eq 0 }",
                "http-after-response set-status 423 if { var(txn.tus_resume) -m bool } { status 503 }");
        // The instance-to-instance API has no route: only /api/catalog/ goes to catalog-streams.
        assertThat(cfg).doesNotContain("/internal");
    }

    @Test
    void withoutIngestOrCatalogEverythingGoesToTheEdges() {
        String cfg = HaproxyConfig.render(new FrontDoor("127.0.0.1", 8080, DOOR.edges(), List.of(), List.of(), 8404));
        assertThat(cfg).doesNotContain("backend ingest", "backend catalog", "use_backend").contains("stats uri /");
    }

    @Test
    void refusesNamesThatWouldInjectConfig() {
        assertThatThrownBy(() -> new Backend("edge 1\n    server evil", "127.0.0.1", 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FrontDoor("127.0.0.1", 1, List.of(), List.of(), List.of(), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
