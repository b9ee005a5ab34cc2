package dev.reel.transcoder.it;

import dev.reel.testkit.ClusterEndpoints;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The environment a test worker runs with: the test cluster, the fastest encoder, a short lock, few attempts. */
final class WorkerEnv {

    private WorkerEnv() {
    }

    static Map<String, String> of(ClusterEndpoints cluster, String groupId, String instanceId, Path scratch) {
        Map<String, String> env = new HashMap<>();
        env.put("REEL_KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers());
        env.put("REEL_S3_ENDPOINT", cluster.s3().url());
        env.put("REEL_S3_ACCESS_KEY", cluster.s3().accessKey());
        env.put("REEL_S3_SECRET_KEY", cluster.s3().secretKey());
        env.put("REEL_S3_REGION", cluster.s3().region());
        env.put("REEL_S3_BUCKET", cluster.bucket());
        env.put("REEL_INSTANCE_ID", instanceId);
        env.put("REEL_TRANSCODER_GROUP", groupId);
        env.put("REEL_TRANSCODER_PORT", "0");
        env.put("REEL_TRANSCODER_PRESET", "ultrafast");
        env.put("REEL_TRANSCODER_FFMPEG_THREADS", "2");
        env.put("REEL_TRANSCODER_LOCK_DURATION", "15s"); // the shortest lock the broker allows a group
        env.put("REEL_TRANSCODER_MAX_ATTEMPTS", "2");
        env.put("REEL_TRANSCODER_SHUTDOWN_GRACE", "10s");
        env.put("REEL_TRANSCODER_SCRATCH_DIR", scratch.toString());
        return env;
    }
}
