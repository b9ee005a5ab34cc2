package dev.reel.edge.http;

import dev.reel.service.storage.StoredRange;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.ByteRange;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.ResourceService;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Sends bytes through Jetty's {@link ResourceService}: {@code If-None-Match}/{@code If-Modified-Since} (304),
 * {@code If-Match}/{@code If-Unmodified-Since} (412), single ranges (206) and unsatisfiable ones (416), HEAD,
 * {@code ETag}, {@code Last-Modified}, {@code Accept-Ranges}. Multi-range requests are served as
 * {@code multipart/byteranges} up to {@value #MAX_RANGES} ranges and refused with 416 beyond, so one request cannot
 * ask for thousands of tiny parts.
 */
public final class ContentSender {

    static final int MAX_RANGES = 4;
    /** The last byte of an open range ({@code bytes=first-}): beyond any object, so storage reads to the end. */
    static final long OPEN_END = 999_999_999_999_999L;
    private static final Pattern SINGLE_RANGE = Pattern.compile("bytes=(\\d{1,15})-(\\d{0,15})");

    private final ResourceService resourceService = new ResourceService();

    public ContentSender() {
        resourceService.setEtags(true);
        resourceService.setAcceptRanges(true);
    }

    /**
     * @param name         the object key, for error messages
     * @param cacheControl the {@code Cache-Control} value
     */
    public void send(Request request, Response response, Callback callback, String name, byte[] bytes, String contentType,
            String etag, Instant lastModified, String cacheControl) {
        send(request, response, callback, new BytesHttpContent(name, bytes, contentType, etag, lastModified), cacheControl);
    }

    /**
     * Sends the one range of an object that was read alone for this request's {@link #singleRange}.
     *
     * @param part the range as storage gave it, with the object's size and validators
     * @param etag the entity tag made of the object's ETag (the same a whole read gives)
     */
    public void send(Request request, Response response, Callback callback, StoredRange part, String contentType,
            String etag, String cacheControl) {
        send(request, response, callback, new BytesHttpContent(part.key(), part.bytes(), part.offset(), part.objectSize(),
                contentType, etag, part.lastModified()), cacheControl);
    }

    private void send(Request request, Response response, Callback callback, BytesHttpContent content,
            String cacheControl) {
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, cacheControl);
        if (rangeCount(request.getHeaders().getValuesList(HttpHeader.RANGE)) > MAX_RANGES) {
            response.setStatus(HttpStatus.RANGE_NOT_SATISFIABLE_416);
            response.getHeaders().put(HttpHeader.CONTENT_RANGE,
                    ByteRange.toNonSatisfiableHeaderValue(content.getContentLengthValue()));
            callback.succeeded();
            return;
        }
        resourceService.doGet(request, response, callback, content);
    }

    /**
     * The one range a GET asks for when it can be read alone, without knowing the object's size: exactly one
     * {@code Range} value of the form {@code bytes=first-last} or {@code bytes=first-} (open ranges end at
     * {@link #OPEN_END}), and no {@code If-Range} (which may turn the answer into the whole object). Suffix ranges,
     * several ranges and anything else are empty: they are answered from the whole object.
     */
    public static Optional<ByteRange> singleRange(Request request) {
        if (!HttpMethod.GET.is(request.getMethod()) || request.getHeaders().contains(HttpHeader.IF_RANGE)) {
            return Optional.empty();
        }
        List<String> values = request.getHeaders().getValuesList(HttpHeader.RANGE);
        return values.size() == 1 ? singleRange(values.getFirst()) : Optional.empty();
    }

    static Optional<ByteRange> singleRange(String value) {
        Matcher range = SINGLE_RANGE.matcher(value.strip());
        if (!range.matches()) {
            return Optional.empty();
        }
        long first = Long.parseLong(range.group(1));
        long last = range.group(2).isEmpty() ? OPEN_END : Long.parseLong(range.group(2));
        return first <= last ? Optional.of(new ByteRange(first, last)) : Optional.empty();
    }

    /** How many ranges the {@code Range} header values ask for, counted before Jetty parses them. */
    static int rangeCount(List<String> ranges) {
        return ranges.stream().mapToInt(value -> value.split(",").length).sum();
    }
}
