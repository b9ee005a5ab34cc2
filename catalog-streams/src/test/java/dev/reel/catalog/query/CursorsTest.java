package dev.reel.catalog.query;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CursorsTest {

    @Test
    void aCursorStandsForTheLastVideoIdOfAPage() {
        String cursor = Cursors.encode("abc_DEF-123");
        assertThat(cursor).matches("[A-Za-z0-9_-]+");
        assertThat(Cursors.decode(cursor)).contains("abc_DEF-123");
    }

    @Test
    void refusesWhatItDidNotGiveOut() {
        assertThat(Cursors.decode("!!")).isEmpty();
        assertThat(Cursors.decode(Cursors.encode("not a video id"))).isEmpty();
    }
}
