package dev.reel.ingest.upload;

import dev.reel.service.http.ApiException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpStatus;
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

    /** Where the file part's bytes go as they arrive (a part writer, which may fail to store them). */
    @FunctionalInterface
    public interface FileSink {
        void accept(ByteBuffer bytes) throws IOException;
    }

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
     * @throws IOException   reading the body or storing the file failed
     */
    public void read(String contentType, InputStream body, FileSink fileSink) throws IOException {
        String boundary = MultiPart.extractBoundary(contentType);
        if (boundary == null || boundary.isEmpty()) {
            throw new ApiException(HttpStatus.BAD_REQUEST_400, "multipart/form-data without a boundary");
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
            throw new ApiException(HttpStatus.BAD_REQUEST_400, "the multipart/form-data body ended before its closing boundary");
        }
    }

    private final class Listener implements MultiPart.Parser.Listener {
        private final FileSink fileSink;
        private String partName;
        private boolean partIsFile;
        private final ByteArrayOutputStream field = new ByteArrayOutputStream();
        private Exception failure;
        private boolean complete;

        Listener(FileSink fileSink) {
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
                    fail(new ApiException(HttpStatus.BAD_REQUEST_400, "send exactly one file part"));
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
                    fail(new ApiException(HttpStatus.BAD_REQUEST_400,
                            "form field '" + partName + "' is larger than " + MAX_FIELD_BYTES + " bytes"));
                } else {
                    byte[] copy = new byte[bytes.remaining()];
                    bytes.get(copy);
                    field.writeBytes(copy);
                }
            } catch (IOException | RuntimeException e) {
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
            fail(new ApiException(HttpStatus.BAD_REQUEST_400, "malformed multipart/form-data: " + error.getMessage()));
        }

        private void fail(Exception error) {
            if (failure == null) {
                failure = error;
            }
        }

        void rethrow() throws IOException {
            if (failure instanceof IOException io) {
                throw io;
            }
            if (failure instanceof RuntimeException unchecked) {
                throw unchecked;
            }
        }
    }
}
