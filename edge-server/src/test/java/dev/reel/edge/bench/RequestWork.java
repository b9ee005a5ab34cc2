package dev.reel.edge.bench;

import dev.reel.edge.cmcd.Cmcd;
import dev.reel.edge.cmcd.CmcdParser;
import dev.reel.events.Envelope;
import dev.reel.events.SegmentServed;
import dev.reel.events.serde.EventSerializer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;

/**
 * The JVM work of a segment request that CMCD changes, timed in this thread without a network: Jetty reading the
 * request head (its {@link HttpParser} on the request as it arrives, into a direct or a heap buffer, then
 * {@link HttpURI} on the request target, as its server connection does), the edge's {@link CmcdParser} on the query or
 * the headers, and the {@code segment.served} event made and serialized as the edge's producer gets it. Everything else
 * a request does (the handlers, the cached answer, the kernel's sockets) is the same with or without CMCD.
 */
final class RequestWork {

    /** Where the request head is read from, as an edge's connector configured either way reads it. */
    enum Buffer {
        DIRECT, HEAP
    }

    private final CmcdParser cmcd = new CmcdParser(new SimpleMeterRegistry());
    private final EventSerializer serializer = new EventSerializer();
    private final HeadHandler head = new HeadHandler();
    private final HttpParser parser = new HttpParser(head);
    /** Keeps results reachable so that the JIT cannot drop the work that made them. */
    private Object sink;

    /** The bytes of a GET of {@code target} (path and query) with the headers given besides {@code Host}. */
    static byte[] request(String target, Map<String, String> headers) {
        StringBuilder request = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        return request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    static List<ByteBuffer> buffers(List<byte[]> requests, Buffer kind) {
        return requests.stream().map(bytes -> {
            ByteBuffer buffer = kind == Buffer.DIRECT
                    ? ByteBuffer.allocateDirect(bytes.length)
                    : ByteBuffer.allocate(bytes.length);
            return buffer.put(bytes).flip();
        }).toList();
    }

    /**
     * Nanoseconds per request for {@code count} requests taken in turn: the head parsed, the CMCD read and the event
     * made and serialized.
     */
    double nanosPerRequest(List<ByteBuffer> requests, int count) {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            ByteBuffer request = requests.get(i % requests.size());
            request.position(0);
            parser.reset();
            head.fields.clear();
            parser.parseNext(request);
            HttpURI uri = HttpURI.build().uri("GET", head.target);
            Cmcd client = cmcd.parseRequest(uri.getQuery(), head.fields);
            sink = serializer.serialize("reel.playback", Envelope.of("edge/bench-edge",
                    new SegmentServed("benchCmcd01", "bench-edge", "1080p", "seg-00001.m4s", 16_384, true, 150,
                            client.sessionId(), client.bufferMillis(), client.measuredThroughputKbps(), client.bitrateKbps(),
                            client.objectType(), client.startup())));
        }
        long nanos = System.nanoTime() - start;
        if (sink == null) {
            throw new IllegalStateException("nothing serialized");
        }
        return (double) nanos / count;
    }

    /** Takes the request target and the header fields, as a server connection's handler does. */
    private static final class HeadHandler implements HttpParser.RequestHandler {
        final HttpFields.Mutable fields = HttpFields.build();
        String target;

        @Override
        public void startRequest(String method, String uri, HttpVersion version) {
            target = uri;
        }

        @Override
        public void parsedHeader(HttpField field) {
            fields.add(field);
        }

        @Override
        public boolean headerComplete() {
            return true;
        }

        @Override
        public boolean content(ByteBuffer item) {
            return false;
        }

        @Override
        public boolean contentComplete() {
            return false;
        }

        @Override
        public boolean messageComplete() {
            return true;
        }

        @Override
        public void earlyEOF() {
        }
    }
}
