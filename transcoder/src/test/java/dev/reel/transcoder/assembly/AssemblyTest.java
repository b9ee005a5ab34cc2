package dev.reel.transcoder.assembly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.events.ChunkCompleted;
import dev.reel.events.ChunkCompleted.ChunkOutput;
import dev.reel.events.ChunkCompleted.ChunkSegment;
import dev.reel.events.Envelope;
import dev.reel.events.EventData;
import dev.reel.events.EventType;
import dev.reel.events.Rendition;
import dev.reel.events.RenditionKind;
import dev.reel.events.RenditionReady;
import dev.reel.events.Storyboard;
import dev.reel.events.TranscodeCompleted;
import dev.reel.events.TranscodeFailed;
import dev.reel.events.TranscodePlanned;
import dev.reel.events.TranscodePlanned.PlanRendition;
import dev.reel.events.TranscodePlanned.PlanTask;
import dev.reel.events.TranscodeProgress;
import dev.reel.transcoder.job.NoStallStart;
import dev.reel.transcoder.storage.MediaPlaylist;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AssemblyTest {

    private static final String ID = "vid_0123456789A";
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private static final Assembly ASSEMBLY = new Assembly(new NoStallStart(2, 4), "assembler-1");

    private AssemblyState state = AssemblyState.empty();
    private final List<Assembly.Action> all = new ArrayList<>();

    private List<Assembly.Action> apply(int second, EventData data) {
        Envelope<EventData> event = new Envelope<>(UUID.randomUUID().toString(), EventType.of(data).type(), "t/1",
                T0.plusSeconds(second), data.videoId(), Envelope.SPEC_VERSION, Envelope.DATA_CONTENT_TYPE, data);
        Assembly.Step step = ASSEMBLY.apply(state, event, T0.plusSeconds(second));
        state = step.state();
        all.addAll(step.actions());
        return step.actions();
    }

    private static PlanRendition video(String name, int height, boolean copied, boolean interim) {
        return new PlanRendition(name, RenditionKind.VIDEO, height * 16 / 9, height, 30, copied, interim);
    }

    /** A 24 s video in 3 chunks of 2 segments: audio task 0, 240p tasks 1-3, 360p tasks 4-6 (the non-copy layout). */
    private static TranscodePlanned encoded() {
        List<PlanTask> tasks = new ArrayList<>(List.of(new PlanTask(0, 0, List.of("audio"), 1, 0)));
        for (int c = 0; c < 3; c++) {
            tasks.add(new PlanTask(1 + c, c, List.of("240p"), 1 + 2 * c, 2));
        }
        for (int c = 0; c < 3; c++) {
            tasks.add(new PlanTask(4 + c, c, List.of("360p"), 1 + 2 * c, 2));
        }
        return new TranscodePlanned(ID, "w1", 1, "plan-a", List.of(new PlanRendition("audio", RenditionKind.AUDIO, 0, 0, 0, false,
                false), video("240p", 240, false, false), video("360p", 360, false, false)), tasks, 3, 6, 4, 24,
                "media/" + ID + "/thumb.jpg");
    }

    /** A 16 s video copied (audio and 1080p) in 2 chunks of 2 segments, each chunk's task encoding 240p and 360p. */
    private static TranscodePlanned copied() {
        return new TranscodePlanned(ID, "w1", 1, "plan-b", List.of(new PlanRendition("audio", RenditionKind.AUDIO, 0, 0, 0, true,
                false), video("1080p", 1080, true, false), video("240p", 240, false, false), video("360p", 360, false, false)),
                List.of(new PlanTask(0, 0, List.of("240p", "360p"), 1, 2), new PlanTask(1, 1, List.of("240p", "360p"), 3, 2)), 2,
                4, 4, 16, "media/" + ID + "/thumb.jpg");
    }

    private static ChunkOutput output(String name, int first, int count, String digest) {
        List<ChunkSegment> segments = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            segments.add(new ChunkSegment(first + i, 4.0, name.equals("360p") ? 400_000 : 200_000));
        }
        return new ChunkOutput(name, name.equals("audio") ? "mp4a.40.2" : "avc1.42c01e", digest, segments);
    }

    private static ChunkCompleted result(String plan, int task, ChunkOutput... outputs) {
        return new ChunkCompleted(ID, plan, task, "w2", 1, 1000, 2000, List.of(outputs));
    }

    private static Rendition copy(String name, RenditionKind kind, int width, int height, long bandwidth) {
        return new Rendition(name, width, height, bandwidth, bandwidth - 1000, kind == RenditionKind.AUDIO
                ? "mp4a.40.2"
                : "avc1.640028", kind == RenditionKind.AUDIO ? 0 : 30, "media/" + ID + "/" + name + "/index.m3u8", 4, 16, false,
                kind, false);
    }

    private static List<String> published(List<Assembly.Action> actions) {
        return actions.stream().filter(Assembly.Publish.class::isInstance).map(a -> describe(((Assembly.Publish) a).event()))
                .toList();
    }

    private static String describe(EventData event) {
        return switch (event) {
            case RenditionReady ready -> ready.rendition().name() + (ready.rendition().growing() ? " growing" : " complete");
            case TranscodeCompleted ignored -> "completed";
            case TranscodeFailed ignored -> "failed";
            case TranscodeProgress progress -> "progress " + Math.round(progress.percent());
            default -> event.getClass().getSimpleName();
        };
    }

    private static List<Assembly.StorePlaylist> playlists(List<Assembly.Action> actions) {
        return actions.stream().filter(Assembly.StorePlaylist.class::isInstance).map(Assembly.StorePlaylist.class::cast).toList();
    }

    @Test
    void aPlaylistListsOnlyTheChunksDoneFromTheFirstOnAndGrowsUntilItIsComplete() {
        apply(0, encoded());
        assertThat(published(apply(1, result("plan-a", 0, output("audio", 1, 6, "aa"))))).as("audio first, complete")
                .containsExactly("audio complete", "progress 14");
        // 240p's third chunk first: no playlist could list it without a hole
        assertThat(published(apply(2, result("plan-a", 3, output("240p", 5, 2, "d240"))))).containsExactly("progress 29");
        assertThat(state.announced()).doesNotContainKey("240p");
        // its first chunk: 8 s stored in 3 s, well ahead of a viewer: announced growing with what has no gap
        List<Assembly.Action> first = apply(3, result("plan-a", 1, output("240p", 1, 2, "d240")));
        assertThat(published(first)).containsExactly("240p growing", "progress 43");
        Assembly.StorePlaylist growing = playlists(first).getFirst();
        assertThat(growing.key()).isEqualTo("media/" + ID + "/240p/index.m3u8");
        assertThat(growing.complete()).isFalse();
        MediaPlaylist listed = MediaPlaylist.parse(growing.text());
        assertThat(listed.segments()).extracting(MediaPlaylist.Segment::uri).containsExactly("seg-00001.m4s", "seg-00002.m4s");
        assertThat(growing.text())
                .contains("#EXT-X-PLAYLIST-TYPE:EVENT", "#EXT-X-TARGETDURATION:4", "#EXT-X-MAP:URI=\"init.mp4\"")
                .doesNotContain("ENDLIST");
        assertThat(first).first().as("the playlist is stored before the event announcing it")
                .isInstanceOf(Assembly.StorePlaylist.class);
        // the middle chunk: every chunk is done, the final playlist and the complete announcement
        List<Assembly.Action> last = apply(4, result("plan-a", 2, output("240p", 3, 2, "d240")));
        assertThat(published(last)).containsExactly("240p complete", "progress 57");
        MediaPlaylist complete = MediaPlaylist.parse(playlists(last).getFirst().text());
        assertThat(complete.complete()).isTrue();
        assertThat(complete.segments()).extracting(MediaPlaylist.Segment::uri).containsExactly("seg-00001.m4s",
                "seg-00002.m4s", "seg-00003.m4s", "seg-00004.m4s", "seg-00005.m4s", "seg-00006.m4s");
        apply(5, result("plan-a", 4, output("360p", 1, 2, "d360")));
        apply(6, result("plan-a", 5, output("360p", 3, 2, "d360")));
        List<Assembly.Action> done = apply(7, result("plan-a", 6, output("360p", 5, 2, "d360")));
        assertThat(published(done)).containsExactly("360p complete", "progress 100", "completed");
        TranscodeCompleted completed = (TranscodeCompleted) ((Assembly.Publish) done.getLast()).event();
        assertThat(completed.renditions()).extracting(Rendition::name).containsExactly("audio", "240p", "360p");
        assertThat(completed.renditions().get(1).bandwidth()).isEqualTo(400_000);
        assertThat(completed.posterKey()).isEqualTo("media/" + ID + "/thumb.jpg");
        assertThat(completed.elapsedMillis()).isEqualTo(7_000);
        assertThat(state.completed()).isTrue();
        assertThat(published(all)).filteredOn(e -> e.endsWith("growing"))
                .as("at most one growing and one complete announcement each").containsExactly("240p growing", "360p growing");
    }

    @Test
    void aLadderSlowerThanAViewerIsNotAnnouncedEarlyAndNothingOvertakesIt() {
        apply(0, encoded());
        apply(1, result("plan-a", 0, output("audio", 1, 6, "aa")));
        // 8 s of 240p after 20 s: 0.4x. A viewer starting now would catch up: not yet
        assertThat(published(apply(20, result("plan-a", 1, output("240p", 1, 2, "d240"))))).containsExactly("progress 29");
        // 360p's first chunk is there too, but 240p comes first
        assertThat(published(apply(21, result("plan-a", 4, output("360p", 1, 2, "d360"))))).containsExactly("progress 43");
        assertThat(state.announced()).containsOnlyKeys("audio");
    }

    /**
     * A 40 s video in 5 chunks of 2 segments whose lowest rung is encoded ahead for the first 2 chunks: audio task 0,
     * 240p tasks 1-2, then the whole ladder of chunk 2 (task 3), 360p of chunk 0 (4), chunks 3 and 4 (5, 7), 360p of
     * chunk 1 (6).
     */
    private static TranscodePlanned earlyLowest() {
        List<PlanTask> tasks = List.of(new PlanTask(0, 0, List.of("audio"), 1, 0), new PlanTask(1, 0, List.of("240p"), 1, 2),
                new PlanTask(2, 1, List.of("240p"), 3, 2), new PlanTask(3, 2, List.of("240p", "360p"), 5, 2),
                new PlanTask(4, 0, List.of("360p"), 1, 2), new PlanTask(5, 3, List.of("240p", "360p"), 7, 2),
                new PlanTask(6, 1, List.of("360p"), 3, 2), new PlanTask(7, 4, List.of("240p", "360p"), 9, 2));
        return new TranscodePlanned(ID, "w1", 1, "plan-c", List.of(new PlanRendition("audio", RenditionKind.AUDIO, 0, 0, 0, false,
                false), video("240p", 240, false, false), video("360p", 360, false, false)), tasks, 5, 10, 4, 40,
                "media/" + ID + "/thumb.jpg");
    }

    @Test
    void aRungEncodedAheadOnlyAtItsStartIsAnnouncedAtTheLaddersPace() {
        apply(0, earlyLowest());
        apply(1, result("plan-c", 0, output("audio", 1, 10, "aa")));
        apply(2, result("plan-c", 1, output("240p", 1, 2, "d240")));
        // 16 s of 240p in 3 s: announced if that pace held, but the rest comes with the whole ladder, pace unknown
        assertThat(published(apply(3, result("plan-c", 2, output("240p", 3, 2, "d240"))))).containsExactly("progress 38");
        assertThat(state.announced()).containsOnlyKeys("audio");
        // the ladder's first chunk after 30 s: 8 s in 30 s (0.27x) and 24 s stored: 40 * 0.73 + 8 > 24, still not
        assertThat(published(apply(30, result("plan-c", 3, output("240p", 5, 2, "d240"), output("360p", 5, 2, "d360")))))
                .containsExactly("progress 50");
        // a faster ladder: the next chunk at 32 s makes 16 s in 32 s (0.5x), 32 s stored >= 40 * 0.5 + 8
        assertThat(published(apply(32, result("plan-c", 5, output("240p", 7, 2, "d240"), output("360p", 7, 2, "d360")))))
                .containsExactly("240p growing", "progress 63");
    }

    @Test
    void aCopiedVideoIsCompletedWithItsCopiesWhichItWaitsFor() {
        apply(0, copied());
        assertThat(published(apply(1, result("plan-b", 1, output("240p", 3, 2, "d240"), output("360p", 3, 2, "d360")))))
                .containsExactly("progress 50");
        // the encoded rungs wait for the copies before them to be complete
        assertThat(published(apply(2, result("plan-b", 0, output("240p", 1, 2, "d240"), output("360p", 1, 2, "d360")))))
                .containsExactly("progress 100");
        apply(3, new RenditionReady(ID, copy("audio", RenditionKind.AUDIO, 0, 0, 130_000)));
        List<Assembly.Action> done = apply(3, new RenditionReady(ID, copy("1080p", RenditionKind.VIDEO, 1920, 1080, 5_000_000)));
        assertThat(published(done)).containsExactly("240p complete", "360p complete", "completed");
        TranscodeCompleted completed = (TranscodeCompleted) ((Assembly.Publish) done.getLast()).event();
        assertThat(completed.renditions()).extracting(Rendition::name).containsExactly("audio", "240p", "360p", "1080p");
        // afterwards nothing: duplicates, its own events read back, late results
        assertThat(apply(4, result("plan-b", 0, output("240p", 1, 2, "d240"), output("360p", 1, 2, "d360")))).isEmpty();
        assertThat(apply(4, completed)).isEmpty();
    }

    @Test
    void theStoryboardIsComposedOnceEveryTileIsInAndBeforeTheCompletionThatNamesIt() {
        TranscodePlanned plain = copied();
        Storyboard storyboard = new Storyboard(2, 160, 90, 8, 8);
        apply(0, new TranscodePlanned(ID, "w1", 1, "plan-b", plain.renditions(), plain.tasks(), plain.chunkCount(),
                plain.segmentCount(), plain.targetDuration(), plain.durationSeconds(), plain.posterKey(), storyboard));
        assertThat(apply(1, result("plan-b", 0, output("240p", 1, 2, "d240"), output("360p", 1, 2, "d360"))))
                .noneMatch(Assembly.ComposeStoryboard.class::isInstance);
        apply(2, result("plan-b", 1, output("240p", 3, 2, "d240"), output("360p", 3, 2, "d360")));
        apply(3, new RenditionReady(ID, copy("audio", RenditionKind.AUDIO, 0, 0, 130_000)));
        List<Assembly.Action> done = apply(3, new RenditionReady(ID, copy("1080p", RenditionKind.VIDEO, 1920, 1080, 5_000_000)));
        assertThat(done.get(done.size() - 2)).isEqualTo(new Assembly.ComposeStoryboard(ID, storyboard, 16));
        TranscodeCompleted completed = (TranscodeCompleted) ((Assembly.Publish) done.getLast()).event();
        assertThat(completed.storyboardKey()).isEqualTo("media/" + ID + "/storyboard.vtt");
        assertThat(all).filteredOn(Assembly.ComposeStoryboard.class::isInstance).hasSize(1);
    }

    @Test
    void aPlanWithoutAStoryboardCompletesWithoutOne() {
        apply(0, copied());
        apply(1, result("plan-b", 0, output("240p", 1, 2, "d240"), output("360p", 1, 2, "d360")));
        apply(2, result("plan-b", 1, output("240p", 3, 2, "d240"), output("360p", 3, 2, "d360")));
        apply(3, new RenditionReady(ID, copy("audio", RenditionKind.AUDIO, 0, 0, 130_000)));
        List<Assembly.Action> done = apply(3, new RenditionReady(ID, copy("1080p", RenditionKind.VIDEO, 1920, 1080, 5_000_000)));
        assertThat(done).noneMatch(Assembly.ComposeStoryboard.class::isInstance);
        assertThat(((TranscodeCompleted) ((Assembly.Publish) done.getLast()).event()).storyboardKey()).isNull();
    }

    @Test
    void aResultCountsOnceAndOnlyForItsPlan() {
        apply(0, encoded());
        apply(1, result("plan-a", 0, output("audio", 1, 6, "aa")));
        assertThat(apply(2, result("plan-a", 0, output("audio", 1, 6, "aa")))).as("redone by another worker").isEmpty();
        assertThat(apply(2, result("plan-other", 1, output("240p", 1, 2, "d240")))).as("another plan's").isEmpty();
        assertThat(apply(3, encoded())).as("the same plan again (a retried upload)").isEmpty();
        assertThat(state.results()).containsOnlyKeys(0);
        assertThat(apply(4, new RenditionReady(ID, copy("240p", RenditionKind.VIDEO, 426, 240, 400_000))))
                .as("its own announcement read back").isEmpty();
    }

    @Test
    void chunksThatDisagreeOnTheirCodecConfigurationFailTheVideo() {
        apply(0, encoded());
        apply(1, result("plan-a", 0, output("audio", 1, 6, "aa")));
        apply(2, result("plan-a", 2, output("240p", 3, 2, "one")));
        assertThat(published(apply(3, result("plan-a", 1, output("240p", 1, 2, "another"))))).containsExactly("failed");
        assertThat(state.failed()).isTrue();
        assertThat(apply(4, result("plan-a", 3, output("240p", 5, 2, "one")))).as("nothing after a failure").isEmpty();
    }

    @Test
    void aFailedVideoGetsNothingMore() {
        apply(0, encoded());
        apply(1, new TranscodeFailed(ID, "w2", 3, "chunk 2 failed"));
        assertThat(apply(2, result("plan-a", 0, output("audio", 1, 6, "aa")))).isEmpty();
        assertThat(state.failed()).isTrue();
    }

    @Test
    void theStateSurvivesItsChangelogAsJson() {
        apply(0, encoded());
        apply(1, result("plan-a", 0, output("audio", 1, 6, "aa")));
        apply(3, result("plan-a", 1, output("240p", 1, 2, "d240")));
        assertThat(AssemblerProcessor.read(AssemblerProcessor.write(state))).isEqualTo(state);
        assertThat(AssemblerProcessor.read(null)).isEqualTo(AssemblyState.empty());
    }
}
