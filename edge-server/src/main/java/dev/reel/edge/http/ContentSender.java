package dev.reel.edge.http;

import java.time.Instant;
import java.util.List;
import org.eclipse.jetty.http.ByteRange;
import org.eclipse.jetty.http.HttpHeader;
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

    private final ResourceService resourceService = new ResourceService();

    public ContentSender() {
        resourceService.setEtags(true);
        resourceService.setAcceptRanges(true);
    }

    /**
     * @param name         a name for the content (the object key), used in multipart responses
     * @param cacheControl the {@code Cache-Control} value
     */
    public void send(Request request, Response response, Callback callback, String name, byte[] bytes, String contentType,
            String etag, Instant lastModified, String cacheControl) {
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, cacheControl);
        if (rangeCount(request.getHeaders().getValuesList(HttpHeader.RANGE)) > MAX_RANGES) {
            response.setStatus(HttpStatus.RANGE_NOT_SATISFIABLE_416);
            response.getHeaders().put(HttpHeader.CONTENT_RANGE, ByteRange.toNonSatisfiableHeaderValue(bytes.length));
            callback.succeeded();
            return;
        }
        resourceService.doGet(request, response, callback, new BytesHttpContent(name, bytes, contentType, etag, lastModified));
    }

    /** How many ranges the {@code Range} header values ask for, counted before Jetty parses them. */
    static int rangeCount(List<String> ranges) {
        return ranges.stream().mapToInt(value -> value.split(",").length).sum();
    }
}
