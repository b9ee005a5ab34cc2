package dev.reel.ingest.upload;

import dev.reel.ingest.http.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.io.Content;

/**
 * Streams a {@code multipart/form-data} body: the one file part goes to a sink as it arrives (never held whole in
 * memory or on disk), the small text fields (title, description, visibility) are collected. Jetty's push parser
 * does the parsing.
 */
public final class FormUpload {

    private static final int MAX_FIELD_BYTES = 16 * 1024;
    private static final int READ_BYTES = 64 * 1024;
    private static final Pattern NAME = Pattern.compile("(?i)(?:^|;)\\s*name=\"([^\"]*)\"");
    private static final Pattern FILENAME = Pattern.compile("(?i)(?:^|;)\\s*filename=\"([^\"]*)\"");

    private final Map<String, String> fields = new HashMap<>();
    private String filename;
    private boolean sawFile;

    /** What the form said besides the file. */
    public Map<String, String> fields() {
        return fields;
    }

    public String filename() {
        return filename;
    }

    public boolean sawFile() {
        return sawFile;
    }

    /**
     * Reads the whole body, pushing the file part's bytes to {@code fileSink}.
     *
     * @throws ApiException 400 for a malformed form, a second file part or an oversized field
     */
    public void read(String contentType, InputStream body, Consumer<ByteBuffer> fileSink) throws IOException {
        String boundary = MultiPart.extractBoundary(contentType);
        if (boundary == null || boundary.isEmpty()) {
            throw new ApiException(400, "multipart/form-data without a boundary");
        }
        Listener listener = new Listener(fileSink);
        MultiPart.Parser parser = new MultiPart.Parser(boundary, listener);
        byte[] buffer = new byte[READ_BYTES];
        int n;
        while ((n = body.read(buffer)) >= 0) {
            parser.parse(Content.Chunk.from(ByteBuffer.wrap(buffer, 0, n), false));
            listener.rethrow();
        }
        parser.parse(Content.Chunk.EOF);
        listener.rethrow();
        if (!listener.complete) {
            throw new ApiException(400, "the multipart/form-data body ended before its closing boundary");
        }
    }

    private final class Listener implements MultiPart.Parser.Listener {
        private final Consumer<ByteBuffer> fileSink;
        private String partName;
        private boolean partIsFile;
        private final java.io.ByteArrayOutputStream field = new java.io.ByteArrayOutputStream();
        private RuntimeException failure;
        private boolean complete;

        Listener(Consumer<ByteBuffer> fileSink) {
            this.fileSink = fileSink;
        }

        @Override
        public void onPartBegin() {
            partName = null;
            partIsFile = false;
            field.reset();
        }

        @Override
        public void onPartHeader(String name, String value) {
            if (!"content-disposition".equals(name.toLowerCase(Locale.ROOT))) {
                return;
            }
            Matcher matcher = NAME.matcher(value);
            partName = matcher.find() ? matcher.group(1) : null;
            Matcher file = FILENAME.matcher(value);
            if (file.find()) {
                partIsFile = true;
                if (sawFile) {
                    fail(new ApiException(400, "send exactly one file part"));
                }
                sawFile = true;
                filename = file.group(1);
            }
        }

        @Override
        public void onPartContent(Content.Chunk chunk) {
            if (failure != null) {
                return;
            }
            ByteBuffer bytes = chunk.getByteBuffer();
            try {
                if (partIsFile) {
                    fileSink.accept(bytes);
                } else if (field.size() + bytes.remaining() > MAX_FIELD_BYTES) {
                    fail(new ApiException(400, "form field '" + partName + "' is larger than " + MAX_FIELD_BYTES + " bytes"));
                } else {
                    byte[] copy = new byte[bytes.remaining()];
                    bytes.get(copy);
                    field.writeBytes(copy);
                }
            } catch (RuntimeException e) {
                fail(e);
            }
        }

        @Override
        public void onPartEnd() {
            if (!partIsFile && partName != null) {
                fields.put(partName, field.toString(StandardCharsets.UTF_8));
            }
        }

        @Override
        public void onComplete() {
            complete = true;
        }

        @Override
        public void onFailure(Throwable error) {
            fail(new ApiException(400, "malformed multipart/form-data: " + error.getMessage()));
        }

        private void fail(RuntimeException error) {
            if (failure == null) {
                failure = error;
            }
        }

        void rethrow() {
            if (failure != null) {
                throw failure;
            }
        }
    }
}
