package dev.reel.service.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How a ranged GET's answer is placed in its object, whatever the server said. */
class StoredRangeTest {

    private static final byte[] TEN = new byte[10];

    @Test
    void placedByContentRange() {
        StoredRange part = ObjectStorage.range("k", TEN, "bytes 100-109/5000", "\"e\"", Instant.EPOCH);
        assertThat(part.offset()).isEqualTo(100);
        assertThat(part.objectSize()).isEqualTo(5_000);
        assertThat(part.etag()).isEqualTo("\"e\"");
    }

    @Test
    void anUnknownSizeEndsWhereTheBytesEnd() {
        assertThat(ObjectStorage.range("k", TEN, "bytes 100-109/*", null, Instant.EPOCH).objectSize()).isEqualTo(110);
    }

    @Test
    void noOrAGarbledContentRangeMeansTheServerSentTheWholeObject() {
        for (String header : new String[]{null, "", "bytes=1-2/3", "bytes 1-2/x", "items 1-2/3"}) {
            StoredRange part = ObjectStorage.range("k", TEN, header, null, Instant.EPOCH);
            assertThat(part.offset()).as(header).isZero();
            assertThat(part.objectSize()).as(header).isEqualTo(10);
        }
    }
}
