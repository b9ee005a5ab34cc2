package dev.reel.service.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minio.errors.ErrorResponseException;
import io.minio.messages.ErrorResponse;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StorageRetryTest {

    @Test
    void anOutageShorterThanTheBudgetIsRiddenOut() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        String result = new StorageRetry(Duration.ofSeconds(30)).call("store a", () -> {
            if (calls.incrementAndGet() < 3) {
                throw new SocketTimeoutException("timeout");
            }
            return "stored";
        });
        assertThat(result).isEqualTo("stored");
        assertThat(calls).hasValue(3);
    }

    @Test
    void aRefusalRetryingCannotFixFailsAtOnce() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> new StorageRetry(Duration.ofSeconds(30)).call("store a", () -> {
            calls.incrementAndGet();
            throw refusal("AccessDenied");
        })).isInstanceOf(StorageException.class).hasMessageContaining("cannot store a")
                .satisfies(e -> assertThat(((StorageException) e).kind()).isEqualTo(StorageException.Kind.REFUSED));
        assertThat(calls).hasValue(1);
    }

    @Test
    void storageAwayForTheWholeBudgetFailsTheCall() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> new StorageRetry(Duration.ofMillis(1_200)).call("store a", () -> {
            calls.incrementAndGet();
            throw new ConnectException("refused");
        })).isInstanceOf(StorageException.class).hasRootCauseInstanceOf(ConnectException.class);
        assertThat(calls.get()).as("0.5 s, then 1 s would pass the budget").isEqualTo(2);
    }

    @Test
    void aZeroBudgetTriesOnce() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> new StorageRetry(Duration.ZERO).call("store a", () -> {
            calls.incrementAndGet();
            throw new ConnectException("refused");
        })).isInstanceOf(StorageException.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void whatCountsAsTransient() {
        assertThat(isTransient(new ConnectException("refused"))).isTrue();
        assertThat(isTransient(refusal("SlowDown"))).isTrue();
        assertThat(isTransient(refusal("NoSuchBucket"))).isFalse();
        assertThat(isTransient(new SocketTimeoutException("read timed out"))).isTrue();
        assertThat(isTransient(new IllegalArgumentException())).isFalse();
        assertThat(isTransient(new CompletionException(new ConnectException("refused"))))
                .as("a failed future of the async client").isTrue();
    }

    @Test
    void aMissingKeyIsNotFoundWhateverWrapsIt() {
        assertThat(StorageException.of("read a", new CompletionException("the future failed", refusal("NoSuchKey"))).kind())
                .isEqualTo(StorageException.Kind.NOT_FOUND);
        assertThat(StorageException.of("read a", refusal("NoSuchUpload")).isNotFound()).isTrue();
    }

    @Test
    void aMissingKeyIsNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> new StorageRetry(Duration.ofSeconds(30)).call("read a", () -> {
            calls.incrementAndGet();
            throw refusal("NoSuchKey");
        })).isInstanceOf(StorageException.class);
        assertThat(calls).hasValue(1);
    }

    private static boolean isTransient(Exception e) {
        return StorageException.of("store a", e).isTransient();
    }

    @Test
    void aStoppingWorkerIsNotKeptWaiting() {
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> new StorageRetry(Duration.ofMinutes(1)).call("store a", () -> {
            throw new ConnectException("refused");
        })).isInstanceOf(StorageException.class).hasMessageContaining("interrupted");
        assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
    }

    private static ErrorResponseException refusal(String code) {
        return new ErrorResponseException(new ErrorResponse(code, "message", "reel", "a", "req", "host", null), null, null);
    }
}
