package dev.reel.transcoder.storage;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The few ISO BMFF (MP4) boxes a chunk's output needs read or changed. Written by hand: what is needed is a walk over
 * box headers and two fields rewritten in place (no box changes size), and no maintained Java MP4 library is on the
 * build's dependency list.
 *
 * <p>Why: every chunk is encoded by its own ffmpeg, and the MP4 muxer starts each output's decode timeline at zero.
 * A chunk's segments are stitched after the earlier chunks' by adding the chunk's start (relative to the video's) to
 * their decode times: {@code tfdt} (each fragment's base media decode time) and {@code sidx} (the segment index's
 * earliest presentation time). Then every segment carries the timestamps the same rendition encoded in one process
 * would have, and the chunks share the first chunk's init segment, whose sample description ({@code stsd}) every
 * chunk of a rendition repeats byte for byte.
 */
public final class Fmp4 {

    private Fmp4() {
    }

    /** The media timescale (ticks per second) of the first track of an init segment ({@code moov/trak/mdia/mdhd}). */
    public static long timescale(byte[] init) {
        ByteBuffer mdhd = find(ByteBuffer.wrap(init), "moov", "trak", "mdia", "mdhd")
                .orElseThrow(() -> new IllegalArgumentException("no moov/trak/mdia/mdhd box: not an init segment"));
        int version = mdhd.get(8) & 0xff;
        return Integer.toUnsignedLong(mdhd.getInt(version == 1 ? 8 + 4 + 16 : 8 + 4 + 8));
    }

    /**
     * SHA-256 (hex) of the first track's sample description box ({@code stsd}): the codec configuration (for H.264,
     * the avcC with SPS and PPS). Segments of two chunks can share an init segment only if this is equal.
     */
    public static String sampleDescriptionDigest(byte[] init) {
        ByteBuffer stsd = find(ByteBuffer.wrap(init), "moov", "trak", "mdia", "minf", "stbl", "stsd")
                .orElseThrow(() -> new IllegalArgumentException("no stsd box: not an init segment"));
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(stsd);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The base media decode time of a media segment's first fragment ({@code moof/traf/tfdt}). */
    public static long firstDecodeTime(byte[] segment) {
        ByteBuffer buffer = ByteBuffer.wrap(segment);
        while (buffer.remaining() >= 8) {
            ByteBuffer box = next(buffer);
            if (type(box).equals("moof")) {
                ByteBuffer tfdt = find(body(box), "traf", "tfdt")
                        .orElseThrow(() -> new IllegalArgumentException("a fragment without tfdt"));
                return (tfdt.get(8) & 0xff) == 1 ? tfdt.getLong(12) : Integer.toUnsignedLong(tfdt.getInt(12));
            }
        }
        throw new IllegalArgumentException("no moof box: not a media segment");
    }

    /**
     * When a media segment's first sample is presented, in ticks of the track's timescale: its first fragment's base
     * media decode time plus the first sample's composition time offset ({@code trun}: signed in version 1, as ffmpeg
     * writes it with {@code negative_cts_offsets}). This is how a Media Source Extensions player places it; edit lists
     * are not applied.
     */
    public static long firstPresentationTime(byte[] segment) {
        ByteBuffer buffer = ByteBuffer.wrap(segment);
        while (buffer.remaining() >= 8) {
            ByteBuffer box = next(buffer);
            if (type(box).equals("moof")) {
                ByteBuffer trun = find(body(box), "traf", "trun")
                        .orElseThrow(() -> new IllegalArgumentException("a fragment without trun"));
                return firstDecodeTime(segment) + firstCompositionOffset(trun);
            }
        }
        throw new IllegalArgumentException("no moof box: not a media segment");
    }

    /** The first sample's composition time offset in a {@code trun} box, 0 when the box gives none. */
    private static long firstCompositionOffset(ByteBuffer trun) {
        int version = trun.get(8) & 0xff;
        int flags = trun.getInt(8) & 0xff_ffff;
        if ((flags & 0x800) == 0 || trun.getInt(12) == 0) {
            return 0;
        }
        int at = 16 + ((flags & 0x1) != 0 ? 4 : 0) + ((flags & 0x4) != 0 ? 4 : 0);
        at += ((flags & 0x100) != 0 ? 4 : 0) + ((flags & 0x200) != 0 ? 4 : 0) + ((flags & 0x400) != 0 ? 4 : 0);
        return version == 1 ? trun.getInt(at) : Integer.toUnsignedLong(trun.getInt(at));
    }

    /**
     * Moves a media segment later by {@code ticks} of {@code timescale}: every fragment's {@code tfdt} of the track, and
     * the {@code sidx} earliest presentation time (converted to the sidx's own timescale). In place; returns the
     * segment.
     */
    public static byte[] shift(byte[] segment, long ticks, long timescale) {
        ByteBuffer buffer = ByteBuffer.wrap(segment);
        while (buffer.remaining() >= 8) {
            ByteBuffer box = next(buffer);
            switch (type(box)) {
                case "moof" -> {
                    ByteBuffer moof = body(box);
                    while (moof.remaining() >= 8) {
                        ByteBuffer traf = next(moof);
                        if (type(traf).equals("traf")) {
                            find(body(traf), "tfdt").ifPresent(tfdt -> add(tfdt, 12, ticks));
                        }
                    }
                }
                case "sidx" -> {
                    long sidxTimescale = Integer.toUnsignedLong(box.getInt(16));
                    long sidxTicks = Math.round((double) ticks * sidxTimescale / timescale);
                    add(box, 20, sidxTicks);
                }
                default -> {
                    // styp, mdat: nothing to move
                }
            }
        }
        return segment;
    }

    /** Adds to the version-dependent time field at {@code offset} of a full box: 32 bits (version 0) or 64 (version 1). */
    private static void add(ByteBuffer fullBox, int offset, long ticks) {
        if ((fullBox.get(8) & 0xff) == 1) {
            fullBox.putLong(offset, fullBox.getLong(offset) + ticks);
        } else {
            long value = Integer.toUnsignedLong(fullBox.getInt(offset)) + ticks;
            if (value < 0 || value > 0xffff_ffffL) {
                throw new IllegalArgumentException("a version 0 box cannot hold the time " + value);
            }
            fullBox.putInt(offset, (int) value);
        }
    }

    /** The first box along {@code path} inside {@code buffer}'s remaining bytes, as a buffer of the whole box. */
    private static Optional<ByteBuffer> find(ByteBuffer buffer, String... path) {
        ByteBuffer scope = buffer.slice();
        for (int depth = 0; depth < path.length; depth++) {
            ByteBuffer found = null;
            while (scope.remaining() >= 8) {
                ByteBuffer box = next(scope);
                if (type(box).equals(path[depth])) {
                    found = box;
                    break;
                }
            }
            if (found == null) {
                return Optional.empty();
            }
            if (depth == path.length - 1) {
                return Optional.of(found);
            }
            scope = body(found);
            if (path[depth].equals("stsd")) {
                scope.position(scope.position() + 8); // a full box with an entry count before its children
            }
        }
        return Optional.empty();
    }

    /** The next box of {@code buffer} (advancing past it), as a buffer whose position 0 is the box's first byte. */
    private static ByteBuffer next(ByteBuffer buffer) {
        int start = buffer.position();
        long size = Integer.toUnsignedLong(buffer.getInt(start));
        if (size == 1) {
            size = buffer.getLong(start + 8);
        } else if (size == 0) {
            size = buffer.limit() - start;
        }
        if (size < 8 || size > buffer.limit() - start) {
            throw new IllegalArgumentException("a box of " + size + " bytes at " + start + " does not fit");
        }
        ByteBuffer box = buffer.slice(start, (int) size);
        buffer.position(start + (int) size);
        return box;
    }

    private static String type(ByteBuffer box) {
        byte[] type = new byte[4];
        box.get(4, type);
        return new String(type, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** The children of a container box (its bytes after the 8-byte header). */
    private static ByteBuffer body(ByteBuffer box) {
        return box.slice(8, box.limit() - 8);
    }
}
