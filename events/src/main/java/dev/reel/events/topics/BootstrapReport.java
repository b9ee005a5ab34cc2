package dev.reel.events.topics;

import java.util.List;

/**
 * What {@link TopicBootstrap#ensure} found and did.
 *
 * @param created   topics it created
 * @param unchanged topics that already existed as specified
 * @param drift     how the other existing topics differ from their specs; left for an operator to fix
 */
public record BootstrapReport(List<String> created, List<String> unchanged, List<Drift> drift) {

    public BootstrapReport {
        created = List.copyOf(created);
        unchanged = List.copyOf(unchanged);
        drift = List.copyOf(drift);
    }

    /** Whether some existing topic differs from its spec. */
    public boolean hasDrift() {
        return !drift.isEmpty();
    }
}
