package dev.reel.edge.replica;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class VideoChangesTest {

    private static final Duration LONG = Duration.ofMinutes(5);

    @Test
    void aRecordWakesEveryWaiterOfItsVideoAndNoOther() throws Exception {
        VideoChanges changes = new VideoChanges(10);
        CompletableFuture<Boolean> first = changes.next("a", LONG);
        CompletableFuture<Boolean> second = changes.next("a", LONG);
        CompletableFuture<Boolean> other = changes.next("b", LONG);
        assertThat(changes.waiting()).isEqualTo(3);

        changes.changed("a");
        assertThat(first.get(1, TimeUnit.SECONDS)).isTrue();
        assertThat(second.get(1, TimeUnit.SECONDS)).isTrue();
        assertThat(other).isNotDone();
        assertThat(changes.waiting()).isEqualTo(1);

        CompletableFuture<Boolean> again = changes.next("a", LONG);
        assertThat(again).as("a waiter hears only records read after it asked").isNotDone();
        changes.changed("a");
        assertThat(again.get(1, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aWaiterLeavesAtItsDeadline() throws Exception {
        VideoChanges changes = new VideoChanges(10);
        CompletableFuture<Boolean> waiter = changes.next("a", Duration.ofMillis(50));
        assertThat(waiter.get(30, TimeUnit.SECONDS)).isFalse();
        assertThat(changes.waiting()).isZero();
        changes.changed("a"); // nobody left to wake
        assertThat(changes.waiting()).isZero();
    }

    @Test
    void beyondTheBoundAndAfterCloseWaitersAreAnsweredAtOnce() throws Exception {
        VideoChanges changes = new VideoChanges(2);
        CompletableFuture<Boolean> first = changes.next("a", LONG);
        CompletableFuture<Boolean> second = changes.next("b", LONG);
        assertThat(changes.next("c", LONG)).isCompletedWithValue(false);
        assertThat(changes.waiting()).isEqualTo(2);

        changes.close();
        assertThat(first.get(1, TimeUnit.SECONDS)).isFalse();
        assertThat(second.get(1, TimeUnit.SECONDS)).isFalse();
        assertThat(changes.waiting()).isZero();
        assertThat(changes.next("a", LONG)).as("a stopping edge holds nothing").isCompletedWithValue(false);
    }
}
