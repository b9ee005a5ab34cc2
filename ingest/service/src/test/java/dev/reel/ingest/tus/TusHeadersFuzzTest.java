package dev.reel.ingest.tus;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.reel.ingest.upload.VideoDetails;
import dev.reel.service.http.ApiException;
import java.util.Map;

/**
 * Fuzzing of the tus headers and the video details a client sends: every input is either read or refused with a 4xx
 * {@link ApiException} (a reason, never a 500). CI replays {@code TusHeadersFuzzTestInputs/}; {@code JAZZER_FUZZ=1}
 * fuzzes (root README, "Fuzzing").
 */
class TusHeadersFuzzTest {

    @FuzzTest
    void uploadLengthAndOffset(String value) {
        try {
            long parsed = TusHeaders.nonNegative(TusHeaders.UPLOAD_OFFSET, value);
            assertThat(parsed).isNotNegative();
            assertThat(Long.toString(parsed)).isEqualTo(value.strip().replaceFirst("^0+(?=.)", ""));
        } catch (ApiException refused) {
            assertThat(refused.status()).isEqualTo(400);
        }
    }

    @FuzzTest
    void uploadMetadata(String header) {
        try {
            Map<String, String> metadata = TusHeaders.metadata(header);
            metadata.keySet().forEach(key -> assertThat(key).isNotBlank().doesNotContain(",", " "));
        } catch (ApiException refused) {
            assertThat(refused.status()).isEqualTo(400);
        }
    }

    @FuzzTest
    void uploadChecksum(String header) {
        try {
            TusHeaders.Checksum checksum = TusHeaders.checksum(header);
            if (checksum != null) {
                assertThat(checksum.digest()).hasSize(32);
            }
        } catch (ApiException refused) {
            assertThat(refused.status()).isEqualTo(400);
        }
    }

    @FuzzTest
    void videoDetails(FuzzedDataProvider data) {
        try {
            VideoDetails details = VideoDetails.of(data.consumeString(300), data.consumeString(300), data.consumeString(20),
                    data.consumeRemainingAsString());
            assertThat(details.title()).isNotBlank().hasSizeLessThanOrEqualTo(VideoDetails.MAX_TITLE);
        } catch (ApiException refused) {
            assertThat(refused.status()).isEqualTo(400);
        }
    }
}
