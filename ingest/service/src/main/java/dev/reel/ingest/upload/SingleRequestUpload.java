package dev.reel.ingest.upload;

import dev.reel.events.VideoUploaded;
import dev.reel.events.objects.ObjectKeys;
import dev.reel.events.publish.EventWriteException;
import dev.reel.ingest.ops.IngestMetrics;
import dev.reel.service.http.ApiException;
import dev.reel.service.storage.CompletedPart;
import dev.reel.service.storage.ObjectStorage;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jetty.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/videos}: the whole file in one request, raw or as {@code multipart/form-data}, streamed into an S3
 * multipart upload as it arrives, then probed and published. Any failure aborts the multipart upload and deletes the
 * object, so a failed request leaves nothing behind.
 */
public final class SingleRequestUpload {

    private static final Logger log = LoggerFactory.getLogger(SingleRequestUpload.class);

    private final ObjectStorage storage;
    private final VideoAcceptance acceptance;
    private final VideoIds ids;
    private final IngestMetrics metrics;
    private final int partSize;
    private final long maxBytes;

    /** Where the request's bytes and fields come from. */
    public interface Body {
        /** Streams the file to the writer and returns the details, which a form may only give after the file. */
        VideoDetails readInto(PartWriter writer) throws IOException;
    }

    public SingleRequestUpload(ObjectStorage storage, VideoAcceptance acceptance, VideoIds ids, IngestMetrics metrics,
            int partSize,
            long maxBytes) {
        this.storage = storage;
        this.acceptance = acceptance;
        this.ids = ids;
        this.metrics = metrics;
        this.partSize = partSize;
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** A raw body: the details come from the query string. */
    public Body raw(InputStream in, VideoDetails details) {
        return writer -> {
            writer.transferFrom(in, maxBytes + 1);
            return details;
        };
    }

    /** A form body: the details come from its fields. */
    public Body form(String contentType, InputStream in, Map<String, String> query) {
        return writer -> {
            FormUpload form = new FormUpload();
            form.read(contentType, in, bytes -> {
                if (writer.received() + bytes.remaining() > maxBytes) {
                    throw tooLarge();
                }
                writer.write(bytes);
            });
            if (!form.sawFile()) {
                throw new ApiException(HttpStatus.BAD_REQUEST_400, "the form has no file part");
            }
            Map<String, String> fields = form.fields();
            return VideoDetails.of(fields.getOrDefault("title", query.get("title")),
                    fields.getOrDefault("description", query.get("description")),
                    fields.getOrDefault("visibility", query.get("visibility")), form.filename());
        };
    }

    /** Stores, probes and publishes; returns the accepted video's event. */
    public VideoUploaded upload(String owner, Body body) throws IOException, InterruptedException {
        String videoId = ids.next();
        String key = ObjectKeys.original(videoId);
        String[] multipartId = new String[1];
        PartWriter writer = new PartWriter(PartWriter.PartSink.multipart(storage, key, () -> {
            if (multipartId[0] == null) { // created with the first part, so an empty body never starts an upload
                multipartId[0] = storage.createMultipartUpload(key, Map.of(ObjectKeys.OWNER_METADATA, owner));
            }
            return multipartId[0];
        }), partSize, List.of(), RunningSha256.inMemory(), PartWriter.PartListener.NONE, metrics::bytesReceived);
        boolean stored = false;
        try {
            VideoDetails details = body.readInto(writer);
            long size = writer.received();
            if (size > maxBytes) {
                throw tooLarge();
            }
            if (size == 0) {
                throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY_422, "the file is empty");
            }
            List<CompletedPart> parts = writer.finish();
            long lastByte = System.nanoTime();
            storage.completeMultipartUpload(key, multipartId[0], parts);
            stored = true;
            VideoAcceptance.Candidate candidate = new VideoAcceptance.Candidate(videoId, owner, details, size,
                    writer.hash().hex(), lastByte);
            VideoUploaded event = acceptance.probe(candidate);
            try {
                acceptance.publish(candidate, UUID.randomUUID().toString(), event);
            } catch (EventWriteException e) {
                throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE_503,
                        "the event log is unavailable; nothing was kept, try again", e);
            }
            return event;
        } catch (Exception e) {
            // Deleting an object that the probe already deleted is harmless: cleaning up is idempotent.
            cleanUp(key, multipartId[0], stored);
            metrics.upload(UploadOutcomes.of(e));
            throw e;
        }
    }

    private void cleanUp(String key, String multipartId, boolean completed) {
        try {
            if (completed) {
                storage.delete(key);
            } else if (multipartId != null) {
                storage.abortMultipartUpload(key, multipartId);
            }
        } catch (IOException | RuntimeException e) {
            log.warn("could not clean up {} after a failed upload: {}", key, e.toString());
        }
    }

    private ApiException tooLarge() {
        return new ApiException(HttpStatus.PAYLOAD_TOO_LARGE_413, "the file is larger than the limit of " + maxBytes + " bytes");
    }
}
