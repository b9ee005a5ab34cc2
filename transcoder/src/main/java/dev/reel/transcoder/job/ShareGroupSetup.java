package dev.reel.transcoder.job;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;

/**
 * The share group's settings, set by every worker at start (idempotent): a new group must start at the earliest
 * upload, not only at uploads made after the first worker joined (the broker's default is {@code latest}); the
 * acquisition lock is this deployment's choice; lock renewal must be on; only committed uploads are jobs.
 */
public final class ShareGroupSetup {

    private ShareGroupSetup() {
    }

    public static void apply(Admin admin, String groupId, Duration lockDuration) throws InterruptedException {
        ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, groupId);
        List<AlterConfigOp> settings = List.of(
                set("share.auto.offset.reset", "earliest"),
                set("share.record.lock.duration.ms", Long.toString(lockDuration.toMillis())),
                set("share.renew.acknowledge.enable", "true"),
                set("share.isolation.level", "read_committed"));
        try {
            admin.incrementalAlterConfigs(Map.of(group, settings)).all().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("cannot configure share group '" + groupId + "' (do the brokers run share groups,"
                    + " with the share coordinator able to create __share_group_state?): " + cause, cause);
        }
    }

    private static AlterConfigOp set(String name, String value) {
        return new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET);
    }
}
