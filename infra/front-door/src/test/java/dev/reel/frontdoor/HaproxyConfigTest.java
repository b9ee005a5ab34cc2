package dev.reel.frontdoor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HaproxyConfigTest {

    private static final FrontDoor DOOR = new FrontDoor("127.0.0.1", 8080,
            List.of(new Backend("edge-1", "127.0.0.1", 8081), new Backend("edge-2", "127.0.0.1", 8082)),
            List.of(new Backend("ingest-1", "127.0.0.1", 8090)), List.of(new Backend("catalog-1", "127.0.0.1", 8070)),
            List.of(new Backend("analytics-1", "127.0.0.1", 8131), new Backend("analytics-2", "127.0.0.1", 8132)),
            List.of(new Backend("webhooks-1", "127.0.0.1", 8095)), 0);

    @Test
    void routesApisAndHashesEdgeUrisConsistently() {
        String cfg = HaproxyConfig.render(DOOR);
        assertThat(cfg).contains(
                "bind 127.0.0.1:8080",
                "acl to_ingest path_beg /api/videos /api/uploads\n",
                "    use_backend ingest if to_ingest",
                "acl to_catalog path_beg /api/catalog/\n    use_backend catalog if to_catalog",
                "acl to_analytics path_beg /api/analytics/\n    use_backend analytics if to_analytics",
                "backend analytics\n    balance roundrobin\n    retry-on conn-failure empty-response 503",
                "server analytics-1 127.0.0.1:8131 check\n    server analytics-2 127.0.0.1:8132 check",
                "default_backend edges",
                "backend edges\n    balance uri\n    hash-type consistent\n    retry-on conn-failure empty-response response-timeout 503",
                "option redispatch 1",
                "http-check send meth GET uri /readyz",
                "server edge-1 127.0.0.1:8081 check\n    server edge-2 127.0.0.1:8082 check",
                "server ingest-1 127.0.0.1:8090 check",
                "server catalog-1 127.0.0.1:8070 check",
                "acl to_webhooks path /api/webhooks\n    acl to_webhooks path_beg /api/webhooks/\n"
                        + "    use_backend webhooks if to_webhooks",
                "backend webhooks\n    balance roundrobin\n    retry-on conn-failure\n",
                "server webhooks-1 127.0.0.1:8095 check",
                "acl to_downloads path_reg ^/v/[^/]+/download/\n    use_backend downloads if to_downloads",
                "backend downloads\n    balance uri\n    hash-type consistent\n    retry-on conn-failure\n    timeout server 10m\n");
        String downloads = cfg.substring(cfg.indexOf("\nbackend downloads") + 1);
        assertThat(downloads.substring(0, downloads.indexOf("\n\n"))).as("the downloads backend is the edges")
                .contains("server edge-1 127.0.0.1:8081 check\n    server edge-2 127.0.0.1:8082 check");
        assertThat(cfg).as("a prefix of the route is not the route").doesNotContain("path_beg /api/webhooks\n");
        assertThat(cfg.substring(cfg.indexOf("backend ingest"))).contains("retry-on conn-failure\n");
        assertThat(HaproxyConfig.render(DOOR)).isEqualTo(cfg);
    }

    @Test
    void keepsMetricsPrivateAndNeverAnswersATusResume503() {
        String cfg = HaproxyConfig.render(DOOR);
        assertThat(cfg).contains("http-request return status 404",
                "if { path /metrics } || { path_beg /api/analytics/internal/ }",
                "http-request return status 423", "if tus_resume tus_upload { nbsrv(ingest) eq 0 }",
                "http-after-response set-status 423 if { var(txn.tus_resume) -m bool } { status 503 }");
        // Catalog's instance-to-instance API has no route (only /api/catalog/ goes to catalog-streams, and its internal
        // port is named nowhere); analytics' internal reads are answered 404 by the front door itself.
        assertThat(cfg.replace("{ path_beg /api/analytics/internal/ }", "")).doesNotContain("/internal");
    }

    @Test
    void withoutIngestOrCatalogEverythingGoesToTheEdges() {
        String cfg = HaproxyConfig.render(new FrontDoor("127.0.0.1", 8080, DOOR.edges(), List.of(), List.of(), 8404));
        assertThat(cfg).doesNotContain("backend ingest", "backend catalog", "backend analytics", "backend webhooks",
                "use_backend ingest", "use_backend catalog", "use_backend analytics", "use_backend webhooks")
                .contains("stats uri /");
    }

    @Test
    void refusesNamesThatWouldInjectConfig() {
        assertThatThrownBy(() -> new Backend("edge 1\n    server evil", "127.0.0.1", 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FrontDoor("127.0.0.1", 1, List.of(), List.of(), List.of(), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
