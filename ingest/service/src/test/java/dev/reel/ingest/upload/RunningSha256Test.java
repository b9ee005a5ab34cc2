package dev.reel.ingest.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RunningSha256Test {

    @Test
    void aDigestResumedFromItsSavedStateEqualsOneRunStraightThrough() {
        byte[] data = new byte[1_000_003];
        new Random(42).nextBytes(data);
        RunningSha256 straight = RunningSha256.inMemory();
        straight.update(data, 0, data.length);

        RunningSha256 first = RunningSha256.resumable();
        first.update(data, 0, 333_333); // not on a 64-byte block boundary
        RunningSha256 second = RunningSha256.resume(first.savedState());
        second.update(data, 333_333, data.length - 333_333);

        assertThat(second.hex()).isEqualTo(straight.hex()).hasSize(64).matches("[0-9a-f]+");
    }

    @Test
    void knownVector() {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        RunningSha256 digest = RunningSha256.resume(RunningSha256.resumable().savedState());
        digest.update(abc, 0, abc.length);
        assertThat(digest.hex()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(RunningSha256.inMemory().savedState()).isNull();
    }
}
