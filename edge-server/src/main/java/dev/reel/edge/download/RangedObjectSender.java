package dev.reel.edge.download;

import dev.reel.service.storage.ObjectInfo;
import dev.reel.service.storage.ObjectStorage;
import dev.reel.service.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Executor;
import org.eclipse.jetty.http.ByteRange;
import org.eclipse.jetty.http.DateGenerator;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;

/**
 * Sends a stored object too large to cache whole (a download) straight from storage, range by range: {@code ETag},
 * {@code Last-Modified}, {@code Accept-Ranges}, 304 for a matching {@code If-None-Match}, a single range as 206 (read
 * from storage from its first byte, so a player seeking in a long file reads only what it asks for), an unsatisfiable
 * one as 416, {@code If-Range}; a request for several ranges gets the whole object (HTTP lets a server ignore Range),
 * HEAD the headers. The body is copied on a virtual thread in {@value #CHUNK}-byte chunks, reading the next from
 * storage while the last is written, so a slow client holds two chunks, not the file.
 */
final class RangedObjectSender {

    static final int CHUNK = 1024 * 1024;

    private final ObjectStorage storage;
    private final Executor executor;

    RangedObjectSender(ObjectStorage storage, Executor executor) {
        this.storage = storage;
        this.executor = executor;
    }

    void send(Request request, Response response, Callback callback, ObjectInfo object, String contentType,
            String cacheControl, String fileName) {
        String etag = "\"" + (object.etag() == null ? Long.toHexString(object.size()) : object.etag())
                .replaceAll("[^A-Za-z0-9]", "x") + "\"";
        long size = object.size();
        var headers = response.getHeaders();
        headers.put(HttpHeader.CONTENT_TYPE, contentType);
        headers.put(HttpHeader.ACCEPT_RANGES, "bytes");
        headers.put(HttpHeader.ETAG, etag);
        headers.put(HttpHeader.LAST_MODIFIED, DateGenerator.formatDate(object.lastModified()));
        headers.put(HttpHeader.CACHE_CONTROL, cacheControl);
        headers.put(HttpHeader.CONTENT_DISPOSITION, "attachment; filename=\"" + fileName + "\"");
        String ifNoneMatch = request.getHeaders().get(HttpHeader.IF_NONE_MATCH);
        if (ifNoneMatch != null && (ifNoneMatch.strip().equals("*") || List.of(ifNoneMatch.split(",")).stream()
                .map(String::strip).anyMatch(tag -> tag.equals(etag) || tag.equals("W/" + etag)))) {
            response.setStatus(HttpStatus.NOT_MODIFIED_304);
            callback.succeeded();
            return;
        }
        List<String> rangeHeaders = request.getHeaders().getValuesList(HttpHeader.RANGE).stream()
                .filter(value -> value.strip().startsWith("bytes=")).toList();
        String ifRange = request.getHeaders().get(HttpHeader.IF_RANGE);
        long first = 0;
        long length = size;
        if (!rangeHeaders.isEmpty() && (ifRange == null || ifRange.strip().equals(etag))) {
            List<ByteRange> ranges = ByteRange.parse(rangeHeaders, size);
            if (ranges.isEmpty()) {
                headers.put(HttpHeader.CONTENT_RANGE, ByteRange.toNonSatisfiableHeaderValue(size));
                response.setStatus(HttpStatus.RANGE_NOT_SATISFIABLE_416);
                callback.succeeded();
                return;
            }
            if (ranges.size() == 1) {
                ByteRange range = ranges.getFirst();
                first = range.first();
                length = range.getLength();
                response.setStatus(HttpStatus.PARTIAL_CONTENT_206);
                headers.put(HttpHeader.CONTENT_RANGE, range.toHeaderValue(size));
            }
        }
        if (response.getStatus() != HttpStatus.PARTIAL_CONTENT_206) {
            response.setStatus(HttpStatus.OK_200);
        }
        headers.put(HttpHeader.CONTENT_LENGTH, length);
        if (HttpMethod.HEAD.is(request.getMethod()) || length == 0) {
            response.write(true, null, callback);
            return;
        }
        long from = first;
        long count = length;
        executor.execute(() -> copy(response, callback, object.key(), from, count));
    }

    private void copy(Response response, Callback callback, String key, long first, long length) {
        Blocker.Callback writing = null;
        try (InputStream in = storage.openRange(key, first, length)
                .orElseThrow(() -> new StorageException(StorageException.Kind.NOT_FOUND, "no object " + key, null))) {
            // two buffers: the next chunk is read from storage while the last one is written to the client
            byte[][] buffers = {new byte[CHUNK], new byte[CHUNK]};
            long left = length;
            for (int turn = 0; left > 0; turn ^= 1) {
                byte[] buffer = buffers[turn];
                int read = in.readNBytes(buffer, 0, (int) Math.min(buffer.length, left));
                if (read <= 0) {
                    throw new IOException(key + " ended " + left + " bytes early");
                }
                left -= read;
                if (writing != null) {
                    writing.block();
                    writing.close();
                }
                writing = Blocker.callback();
                response.write(left == 0, ByteBuffer.wrap(buffer, 0, read), writing);
            }
            if (writing != null) {
                writing.block();
                writing.close();
                writing = null;
            }
            callback.succeeded();
        } catch (Throwable e) {
            if (writing != null) {
                writing.close();
            }
            // headers are sent: the connection is cut, which the client sees as a short body (and may resume)
            callback.failed(e);
        }
    }
}
