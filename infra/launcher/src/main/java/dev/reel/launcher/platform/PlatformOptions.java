package dev.reel.launcher.platform;

/**
 * How many of each service to run and where the front door listens. Service ports follow from the front
 * door's: ingest i +9+i, webhooks +19, catalog i +20+i (its internal API +50+i, which the front door does not route),
 * edge i +30+i, transcoder i +40+i, analytics i +60+i (its internal API +70+i), HAProxy stats +4 (8080 gives 8090..,
 * 8099, 8101.. and 8131.., 8111.., 8121.., 8141.. and 8151.., 8084).
 */
public record PlatformOptions(int frontDoorPort, int ingests, int catalogs, int transcoders, int edges, int analytics) {

    public PlatformOptions {
        requireRange("--ingests", ingests, 1, 9);
        requireRange("--catalogs", catalogs, 1, 9);
        requireRange("--analytics", analytics, 0, 9);
        requireRange("--transcoders", transcoders, 0, 9);
        requireRange("--edges", edges, 1, 9);
        requireRange("--port", frontDoorPort, 1024, 65535 - 80);
    }

    int ingestPort(int i) {
        return frontDoorPort + 9 + i;
    }

    int webhooksPort() {
        return frontDoorPort + 19;
    }

    int catalogPort(int i) {
        return frontDoorPort + 20 + i;
    }

    int catalogInternalPort(int i) {
        return frontDoorPort + 50 + i;
    }

    int edgePort(int i) {
        return frontDoorPort + 30 + i;
    }

    int transcoderPort(int i) {
        return frontDoorPort + 40 + i;
    }

    int analyticsPort(int i) {
        return frontDoorPort + 60 + i;
    }

    int analyticsInternalPort(int i) {
        return frontDoorPort + 70 + i;
    }

    int statsPort() {
        return frontDoorPort + 4;
    }

    private static void requireRange(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + " must be between " + min + " and " + max + ", was " + value);
        }
    }
}
