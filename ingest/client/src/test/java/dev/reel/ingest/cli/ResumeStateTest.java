package dev.reel.ingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumeStateTest {

    @TempDir
    Path dir;

    @Test
    void remembersTheUploadUrlOfTheSameFileUntilCleared() throws Exception {
        Path video = Files.write(dir.resolve("v.mp4"), new byte[]{1, 2, 3});
        URI api = URI.create("http://127.0.0.1:8080");
        ResumeState state = ResumeState.of(dir.resolve("state"), video, api);
        assertThat(state.uploadUrl()).isEmpty();
        state.save(URI.create("http://127.0.0.1:8080/api/uploads/abcdefghijk"), "abcdefghijk");
        assertThat(ResumeState.of(dir.resolve("state"), video, api).uploadUrl())
                .contains(URI.create("http://127.0.0.1:8080/api/uploads/abcdefghijk"));
        assertThat(state.path().getFileName().toString()).matches("[0-9a-f]{64}\\.json");

        assertThat(ResumeState.of(dir.resolve("state"), video, URI.create("http://other:8080")).uploadUrl()).as("other API")
                .isEmpty();
        Files.setLastModifiedTime(video, FileTime.from(Files.getLastModifiedTime(video).toInstant().plus(Duration.ofMinutes(1))));
        assertThat(ResumeState.of(dir.resolve("state"), video, api).uploadUrl()).as("the file changed").isEmpty();

        state.clear();
        assertThat(state.uploadUrl()).isEmpty();
    }

    @Test
    void anUnreadableStateIsNoState() throws Exception {
        Path video = Files.write(dir.resolve("v.mp4"), new byte[]{1});
        ResumeState state = ResumeState.of(dir, video, URI.create("http://h"));
        Files.writeString(state.path(), "{not json");
        assertThat(state.uploadUrl()).isEmpty();
    }
}
