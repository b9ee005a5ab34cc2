package dev.reel.transcoder.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minio.errors.ErrorResponseException;
import io.minio.messages.ErrorResponse;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
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
        })).isInstanceOf(IOException.class).hasMessageContaining("cannot store a");
        assertThat(calls).hasValue(1);
    }

    @Test
    void storageAwayForTheWholeBudgetFailsTheCall() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> new StorageRetry(Duration.ofMillis(1_200)).call("store a", () -> {
            calls.incrementAndGet();
            throw new ConnectException("refused");
        })).isInstanceOf(IOException.class).hasRootCauseInstanceOf(ConnectException.class);
        assertThat(calls.get()).as("0.5 s, then 1 s would pass the budget").isEqualTo(2);
    }

    @Test
    void aZeroBudgetTriesOnce() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> new StorageRetry(Duration.ZERO).call("store a", () -> {
            calls.incrementAndGet();
            throw new ConnectException("refused");
        })).isInstanceOf(IOException.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void whatCountsAsTransient() {
        assertThat(StorageRetry.isTransient(new ConnectException("refused"))).isTrue();
        assertThat(StorageRetry.isTransient(refusal("SlowDown"))).isTrue();
        assertThat(StorageRetry.isTransient(refusal("NoSuchBucket"))).isFalse();
        assertThat(StorageRetry.isTransient(new SocketTimeoutException("read timed out"))).isTrue();
        assertThat(StorageRetry.isTransient(new IllegalArgumentException())).isFalse();
    }

    @Test
    void aStoppingWorkerIsNotKeptWaiting() {
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> new StorageRetry(Duration.ofMinutes(1)).call("store a", () -> {
            throw new ConnectException("refused");
        })).isInstanceOf(InterruptedIOException.class);
        assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
    }

    private static ErrorResponseException refusal(String code) {
        return new ErrorResponseException(new ErrorResponse(code, "message", "reel", "a", "req", "host", null), null, null);
    }
}
