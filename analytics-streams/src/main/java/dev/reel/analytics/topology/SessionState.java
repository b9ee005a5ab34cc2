package dev.reel.analytics.topology;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What is known of one playback session (a video and a player's session id): whether its play was counted, the
 * latest beacon's cumulative figures (so the next beacon adds only what is new), and the dimensions it was already
 * counted as a session in. Mutable; owned by the stream task of the video's partition.
 */
final class SessionState {

    /** Dimensions a session is counted in at most (a session touches a video, a few renditions and edges). */
    static final int MAX_DIMENSIONS = 64;
    private static final byte FORMAT = 1;

    boolean playCounted;
    long lastSequence;
    Long startupMillis;
    long stalls;
    long stallMillis;
    long watchMillis;
    long renditionSwitches;
    boolean failed;
    boolean exitedBeforeStart;
    long lastSeenMillis;
    final Set<String> dimensions = new LinkedHashSet<>();

    /** Marks the session as seen in {@code dimension}; true the first time (and while fewer than the bound are known). */
    boolean firstTimeIn(String dimension) {
        return dimensions.size() < MAX_DIMENSIONS && dimensions.add(dimension);
    }

    byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 24 * dimensions.size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeBoolean(playCounted);
            out.writeLong(lastSequence);
            out.writeLong(startupMillis == null ? -1 : startupMillis);
            out.writeLong(stalls);
            out.writeLong(stallMillis);
            out.writeLong(watchMillis);
            out.writeLong(renditionSwitches);
            out.writeBoolean(failed);
            out.writeBoolean(exitedBeforeStart);
            out.writeLong(lastSeenMillis);
            out.writeShort(dimensions.size());
            for (String dimension : dimensions) {
                out.writeUTF(dimension);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static SessionState fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("unknown session format " + format);
            }
            SessionState s = new SessionState();
            s.playCounted = in.readBoolean();
            s.lastSequence = in.readLong();
            long startup = in.readLong();
            s.startupMillis = startup < 0 ? null : startup;
            s.stalls = in.readLong();
            s.stallMillis = in.readLong();
            s.watchMillis = in.readLong();
            s.renditionSwitches = in.readLong();
            s.failed = in.readBoolean();
            s.exitedBeforeStart = in.readBoolean();
            s.lastSeenMillis = in.readLong();
            int count = in.readShort();
            for (int i = 0; i < count; i++) {
                s.dimensions.add(in.readUTF());
            }
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sessions store's serde. */
    static final class StateSerde implements Serde<SessionState> {
        @Override
        public Serializer<SessionState> serializer() {
            return (topic, state) -> state == null ? null : state.toBytes();
        }

        @Override
        public Deserializer<SessionState> deserializer() {
            return (topic, bytes) -> bytes == null ? null : fromBytes(bytes);
        }
    }
}
