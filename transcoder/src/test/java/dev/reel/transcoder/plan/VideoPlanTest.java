package dev.reel.transcoder.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reel.events.ChunkRequested;
import dev.reel.events.RenditionKind;
import dev.reel.events.Storyboard;
import dev.reel.events.StoryboardTiles;
import dev.reel.events.TaskRendition;
import dev.reel.events.TranscodePlanned;
import dev.reel.transcoder.ffmpeg.AudioFacts;
import dev.reel.transcoder.ffmpeg.ProbedSource;
import dev.reel.transcoder.ffmpeg.SourceInfo;
import dev.reel.transcoder.ffmpeg.TimeBase;
import dev.reel.transcoder.ffmpeg.VideoFacts;
import dev.reel.transcoder.ffmpeg.VideoPackets;
import dev.reel.transcoder.ladder.LadderTable;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class VideoPlanTest {

    private static final TimeBase TB = new TimeBase(1, 15_360);
    private static final VideoPlan.Settings SETTINGS = new VideoPlan.Settings(4, 8, 16, 120, "veryfast",
            new Passthrough.Limits(10, 2.0));

    private static ProbedSource source(String codec, String pixelFormat, int seconds) {
        return new ProbedSource(new SourceInfo(1920, 1080, 30, true, seconds),
                new VideoFacts(0, codec, "High", 40, pixelFormat, "progressive", 0, 1.0, TB, 0),
                new AudioFacts(1, "aac", "LC", 2, 48_000, 128_000, 0));
    }

    /** {@code seconds} of 30 fps, a keyframe every 2 s, at {@code bitRate}. */
    private static VideoPackets packets(int seconds, long bitRate) {
        int count = seconds * 30;
        long[] pts = new long[count];
        int[] sizes = new int[count];
        boolean[] keys = new boolean[count];
        for (int i = 0; i < count; i++) {
            pts[i] = i * 512L;
            sizes[i] = (int) (bitRate / 30 / 8);
            keys[i] = i % 60 == 0;
        }
        return new VideoPackets(TB, pts, sizes, keys, count * 512L);
    }

    private static VideoPlan plan(ProbedSource source, VideoPackets packets, VideoPlan.Settings settings) {
        return VideoPlan.of("vid", "originals/vid/source", source, packets, LadderTable.DEFAULT, settings);
    }

    @Test
    void aStandardUploadIsCopiedAndEveryChunkEncodesTheRestWithOneDecode() {
        VideoPlan plan = plan(source("h264", "yuv420p", 60), packets(60, 4_000_000), SETTINGS);
        assertThat(plan.names()).containsExactly("audio", "1080p", "240p", "360p", "480p", "720p");
        assertThat(plan.layout().count()).isEqualTo(8); // 15 segments of 4 s in chunks of 2, the last of 1
        assertThat(plan.tasks()).hasSize(8).allMatch(t -> t.renditions().size() == 4);
        TranscodePlanned planned = plan.planned("w1", 1, "media/vid/thumb.jpg");
        assertThat(planned.renditions()).filteredOn(TranscodePlanned.PlanRendition::copied)
                .extracting(TranscodePlanned.PlanRendition::name).containsExactly("audio", "1080p");
        assertThat(planned.segmentCount()).isEqualTo(15);
        assertThat(planned.targetDuration()).isEqualTo(4);
        assertThat(planned.tasks().get(1)).isEqualTo(new TranscodePlanned.PlanTask(1, 1, List.of("240p", "360p", "480p",
                "720p"), 3, 2));

        List<ChunkRequested> requests = plan.requests();
        ChunkRequested second = requests.get(1);
        assertThat(second.start()).isEqualTo(8 * 15_360);
        assertThat(second.end()).isEqualTo(16 * 15_360);
        assertThat(second.cuts()).containsExactly(8 * 15_360L, 12 * 15_360L);
        assertThat(second.firstSegment()).isEqualTo(3);
        assertThat(second.renditions()).extracting(TaskRendition::name).containsExactly("240p", "360p", "480p", "720p");
        assertThat(second.renditions().getLast()).isEqualTo(new TaskRendition("720p", RenditionKind.VIDEO, 0, 1280, 720, 30,
                "high", "3.1", 2800, 3080, 5600));
        assertThat(requests.getLast().end()).as("the last chunk ends with the video").isEqualTo(60 * 15_360);
        assertThat(requests).allMatch(r -> r.planId().equals(plan.planId()) && r.taskCount() == 8);
    }

    @Test
    void anOriginalThatCannotBeCopiedGetsItsAudioOnceThenItsLowestRungThenTheRest() {
        VideoPlan plan = plan(source("hevc", "yuv420p10le", 60), packets(60, 4_000_000), SETTINGS);
        assertThat(plan.passthrough().possible()).isFalse();
        assertThat(plan.names()).containsExactly("audio", "240p", "360p", "480p", "720p", "1080p");
        int chunks = plan.layout().count();
        assertThat(plan.tasks()).hasSize(1 + 2 * chunks);
        assertThat(plan.tasks().getFirst().audio()).isTrue();
        assertThat(plan.tasks().subList(1, 1 + chunks)).allMatch(t -> t.renditions().size() == 1
                && t.renditions().getFirst().name().equals("240p"));
        assertThat(plan.tasks().subList(1, 1 + chunks)).extracting(VideoPlan.Task::chunk).isSorted();
        assertThat(plan.tasks().subList(1 + chunks, 1 + 2 * chunks)).allMatch(t -> t.renditions().size() == 4);
        ChunkRequested audio = plan.requests().getFirst();
        assertThat(audio.audio()).isTrue();
        assertThat(audio.renditions().getFirst().stream()).isEqualTo(1);
        assertThat(audio.renditions().getFirst().copy()).as("AAC-LC stereo at 48 kHz with the video: copied").isTrue();
        assertThat(audio.end()).isEqualTo(60 * 15_360);
        assertThat(plan.planned("w1", 1, "p").tasks().getFirst()).isEqualTo(new TranscodePlanned.PlanTask(0, 0,
                List.of("audio"), 1, 0));
    }

    @Test
    void onlyTheEarlyChunksLowestRungIsEncodedAheadLaterChunksAreDecodedOnce() {
        VideoPlan plan = plan(source("hevc", "yuv420p10le", 60), packets(60, 4_000_000), new VideoPlan.Settings(4, 8, 16, 20,
                "veryfast", new Passthrough.Limits(10, 2.0)));
        // chunks of 8 s start at 0, 8, 16, 24, ...: three start within the first 20 s
        assertThat(plan.layout().count()).isEqualTo(8);
        List<String> tasks = plan.tasks().stream()
                .map(t -> t.audio()
                        ? "audio"
                        : t.chunk() + ":" + (t.renditions().size() == 5
                                ? "all"
                                : t.renditions().size() == 1 ? t.renditions().getFirst().name() : "rest"))
                .toList();
        assertThat(tasks)
                .as("the lowest rung of the early chunks, then a later chunk's ladder and an early chunk's rest by turns")
                .containsExactly("audio", "0:240p", "1:240p", "2:240p", "3:all", "0:rest", "4:all", "1:rest", "5:all",
                        "2:rest", "6:all", "7:all");
        assertThat(plan.tasks()).filteredOn(t -> t.renditions().size() == 4)
                .allMatch(t -> t.renditions().getFirst().name().equals("360p"));
        assertThat(plan.planId()).as("how much is encoded ahead is part of the plan")
                .isNotEqualTo(plan(source("hevc", "yuv420p10le", 60), packets(60, 4_000_000), SETTINGS).planId());
    }

    @Test
    void audioThatWouldNotPlayEverywhereIsEncoded() {
        ProbedSource mp3 = new ProbedSource(new SourceInfo(1920, 1080, 30, true, 60),
                new VideoFacts(0, "hevc", "Main 10", 150, "yuv420p10le", "progressive", 0, 1.0, TB, 0),
                new AudioFacts(1, "mp3", "", 2, 44_100, 192_000, 0));
        assertThat(plan(mp3, packets(60, 4_000_000), SETTINGS).requests().getFirst().renditions().getFirst().copy()).isFalse();
    }

    @Test
    void aShortVideoIsOneChunk() {
        VideoPlan plan = plan(source("h264", "yuv420p", 12), packets(12, 4_000_000), SETTINGS);
        assertThat(plan.layout().count()).isEqualTo(1);
        assertThat(plan.tasks()).hasSize(1);
        assertThat(plan.requests().getFirst().cuts()).containsExactly(0L, 4 * 15_360L, 8 * 15_360L);
    }

    @Test
    void theSameOriginalPlannedTwiceIsTheSamePlan() {
        VideoPlan once = plan(source("h264", "yuv420p", 60), packets(60, 4_000_000), SETTINGS);
        VideoPlan again = plan(source("h264", "yuv420p", 60), packets(60, 4_000_000), SETTINGS);
        assertThat(again.planId()).isEqualTo(once.planId()).matches("p[0-9a-f]{16}");
        assertThat(plan(source("h264", "yuv420p", 60), packets(60, 4_000_000), new VideoPlan.Settings(4, 16, 16, 120, "veryfast",
                new Passthrough.Limits(10, 2.0))).planId()).as("other chunks, another plan").isNotEqualTo(once.planId());
    }

    @Test
    void anInterimCopyLeavesTheWholeLadderToTheTasks() {
        VideoPlan plan = plan(source("h264", "yuv420p", 60), packets(60, 8_000_000), SETTINGS);
        assertThat(plan.passthrough().kept()).isFalse();
        assertThat(plan.names()).containsExactly("audio", "source", "240p", "360p", "480p", "720p", "1080p");
        assertThat(plan.planned("w1", 1, "p").renditions().get(1).interim()).isTrue();
        assertThat(plan.tasks()).allMatch(t -> t.renditions().size() == 5);
    }

    @Test
    void everyTileIsMadeOnceByTheTaskThatDecodesItsChunkForTheHighestRung() {
        for (VideoPlan plan : List.of(plan(source("hevc", "yuv420p10le", 60), packets(60, 4_000_000), SETTINGS),
                plan(source("h264", "yuv420p", 60), packets(60, 4_000_000), SETTINGS))) {
            Storyboard storyboard = plan.planned("w1", 1, "p").storyboard();
            assertThat(storyboard).isEqualTo(new Storyboard(2, 160, 90, 30, 10));
            List<Integer> made = new ArrayList<>();
            for (ChunkRequested request : plan.requests()) {
                boolean top = request.renditions().stream().anyMatch(r -> r.name().equals(plan.encoded().getLast().name()));
                if (!top) {
                    assertThat(request.storyboard()).as("task " + request.task()).isNull();
                    continue;
                }
                StoryboardTiles tiles = request.storyboard();
                assertThat(tiles.frames()).allMatch(f -> f >= request.start() && f < request.end());
                made.addAll(tiles.numbers());
            }
            assertThat(made).containsExactlyElementsOf(IntStream.rangeClosed(1, 30).boxed().toList());
            assertThat(plan.intakeTiles()).as("the tasks make them").isNull();
        }
    }

    @Test
    void aSmallOriginalCopiedAsTheWholeLadderGetsItsTilesFromThePlanningWorker() {
        ProbedSource small = new ProbedSource(new SourceInfo(320, 240, 30, true, 12),
                new VideoFacts(0, "h264", "High", 30, "yuv420p", "progressive", 0, 1.0, TB, 0),
                new AudioFacts(1, "aac", "LC", 2, 48_000, 128_000, 0));
        VideoPlan plan = plan(small, packets(12, 200_000), SETTINGS);
        assertThat(plan.passthrough().kept()).isTrue();
        assertThat(plan.encoded()).isEmpty();
        assertThat(plan.requests()).isEmpty();
        StoryboardTiles tiles = plan.intakeTiles();
        assertThat(tiles.numbers()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(tiles.frames()).containsExactly(0L, 2 * 15_360L, 4 * 15_360L, 6 * 15_360L, 8 * 15_360L, 10 * 15_360L);
        assertThat(tiles.width()).isEqualTo(160);
        assertThat(tiles.height()).isEqualTo(120);
    }
}
