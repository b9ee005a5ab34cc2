package dev.reel.edge.http;

import dev.reel.events.CaptionKind;
import dev.reel.events.CaptionTrack;
import dev.reel.events.Rendition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MPEG-DASH manifest of a video, made from what HLS already serves: the same CMAF (fMP4) init and media segments
 * under the same URLs, so no media is stored twice. One video AdaptationSet whose Representations are the complete
 * video renditions, addressed by {@code SegmentTemplate} ({@code $RepresentationID$/init.mp4},
 * {@code $RepresentationID$/seg-$Number%05d$.m4s}) with a {@code SegmentTimeline} taken from a rendition playlist's
 * {@code #EXTINF} durations (every rendition has its keyframes, so its segment boundaries, at the same instants), and,
 * for a video transcoded with demuxed audio, one audio AdaptationSet of its audio rendition with that rendition's own
 * timeline (DASH-IF's layout), and one text AdaptationSet per caption track, the same WebVTT file the HLS master lists.
 *
 * <p>Older videos' segments carry the audio beside the video (one file per segment): their Representations'
 * {@code codecs} name both, and an MSE player appends them to one source buffer, which Chromium plays. The set declares
 * no {@code ContentComponent}s, which is what dash.js reads as "multiplexed" and refuses.
 */
public final class DashManifest {

    /** Milliseconds: {@code #EXTINF} durations have at most microseconds, and a millisecond is far below a frame. */
    static final int TIMESCALE = 1000;
    private static final Pattern EXTINF = Pattern.compile("(?m)^#EXTINF:([0-9.]+)");

    private DashManifest() {
    }

    /** The segment durations of a rendition playlist, in order. */
    public static List<Double> segmentDurations(String playlist) {
        List<Double> durations = new ArrayList<>();
        Matcher m = EXTINF.matcher(playlist);
        while (m.find()) {
            durations.add(Double.parseDouble(m.group(1)));
        }
        return durations;
    }

    /**
     * @param renditions     complete video renditions, lowest first (at least one)
     * @param durations      the segment durations every video rendition shares
     * @param audio          the complete demuxed audio rendition, or {@code null}
     * @param audioDurations its segment durations
     * @param captions       the video's text tracks, each an AdaptationSet of its WebVTT file
     * @param query          appended to every segment URL ({@code ""}, or {@code ?token=...} for a private video)
     */
    public static String mpd(List<Rendition> renditions, List<Double> durations, Rendition audio, List<Double> audioDurations,
            List<CaptionTrack> captions, String query) {
        if (renditions.isEmpty() || durations.isEmpty() || audio != null && audioDurations.isEmpty()) {
            throw new IllegalArgumentException("a manifest needs a rendition and a segment");
        }
        List<Long> ticks = ticks(durations);
        List<Long> audioTicks = ticks(audioDurations);
        long total = Math.max(ticks.stream().mapToLong(Long::longValue).sum(),
                audioTicks.stream().mapToLong(Long::longValue).sum());
        Rendition top = renditions.getLast();
        String xmlQuery = escape(query);
        StringBuilder mpd = new StringBuilder(1024);
        mpd.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" profiles=\"urn:mpeg:dash:profile:isoff-live:2011\"")
                .append(" type=\"static\" minBufferTime=\"PT4S\" mediaPresentationDuration=\"")
                .append(isoSeconds(total / (double) TIMESCALE)).append("\">\n")
                .append("  <Period id=\"0\" start=\"PT0S\">\n")
                .append("    <AdaptationSet id=\"0\" contentType=\"video\" mimeType=\"video/mp4\" segmentAlignment=\"true\"")
                .append(" startWithSAP=\"1\" maxWidth=\"").append(top.width()).append("\" maxHeight=\"").append(top.height())
                .append("\">\n")
                .append("      <SegmentTemplate timescale=\"").append(TIMESCALE).append("\" startNumber=\"1\"")
                .append(" initialization=\"$RepresentationID$/init.mp4").append(xmlQuery).append('"')
                .append(" media=\"$RepresentationID$/seg-$Number%05d$.m4s").append(xmlQuery).append("\">\n")
                .append("        <SegmentTimeline>\n");
        timeline(mpd, ticks);
        mpd.append("        </SegmentTimeline>\n      </SegmentTemplate>\n");
        for (Rendition r : renditions) {
            mpd.append("      <Representation id=\"").append(r.name()).append("\" bandwidth=\"").append(r.bandwidth())
                    .append("\" width=\"").append(r.width()).append("\" height=\"").append(r.height())
                    .append("\" frameRate=\"").append(frameRate(r.frameRate())).append("\" sar=\"1:1\" codecs=\"")
                    .append(escape(r.codecs())).append("\"/>\n");
        }
        mpd.append("    </AdaptationSet>\n");
        if (audio != null) {
            mpd.append("    <AdaptationSet id=\"1\" contentType=\"audio\" mimeType=\"audio/mp4\" segmentAlignment=\"true\"")
                    .append(" startWithSAP=\"1\">\n")
                    .append("      <SegmentTemplate timescale=\"").append(TIMESCALE).append("\" startNumber=\"1\"")
                    .append(" initialization=\"$RepresentationID$/init.mp4").append(xmlQuery).append('"')
                    .append(" media=\"$RepresentationID$/seg-$Number%05d$.m4s").append(xmlQuery).append("\">\n")
                    .append("        <SegmentTimeline>\n");
            timeline(mpd, audioTicks);
            mpd.append("        </SegmentTimeline>\n      </SegmentTemplate>\n")
                    .append("      <Representation id=\"").append(audio.name()).append("\" bandwidth=\"")
                    .append(audio.bandwidth())
                    .append("\" codecs=\"").append(escape(audio.codecs())).append("\"/>\n")
                    .append("    </AdaptationSet>\n");
        }
        int id = 2;
        for (CaptionTrack track : captions) {
            textSet(mpd, id++, track, total, xmlQuery);
        }
        mpd.append("  </Period>\n</MPD>\n");
        return mpd.toString();
    }

    /**
     * A text track as dash.js and Shaka read a sidecar WebVTT file: an AdaptationSet of {@code contentType="text"},
     * {@code mimeType="text/vtt"}, its language, a {@code Label} for the track menu and a DASH role ({@code subtitle}
     * or {@code caption}, the scheme of ISO/IEC 23009-1 5.8.5.5), with one Representation whose {@code BaseURL} is the
     * whole file the HLS text track also plays (relative to the MPD: {@code captions/<language>.vtt}). Its bandwidth is
     * the file's average bit rate over the video.
     */
    private static void textSet(StringBuilder mpd, int id, CaptionTrack track, long totalTicks, String xmlQuery) {
        long bitsPerSecond = Math.max(1, track.sizeBytes() * 8 * TIMESCALE / Math.max(1, totalTicks));
        String role = track.kind() == CaptionKind.CAPTIONS ? "caption" : "subtitle";
        mpd.append("    <AdaptationSet id=\"").append(id).append("\" contentType=\"text\" mimeType=\"text/vtt\" lang=\"")
                .append(escape(track.language())).append("\">\n")
                .append("      <Label>").append(escape(track.label())).append("</Label>\n")
                .append("      <Role schemeIdUri=\"urn:mpeg:dash:role:2011\" value=\"").append(role).append("\"/>\n")
                .append("      <Representation id=\"text-").append(escape(track.language())).append("\" bandwidth=\"")
                .append(bitsPerSecond).append("\">\n")
                .append("        <BaseURL>").append(CaptionPath.PREFIX).append(escape(track.language()))
                .append(CaptionPath.WEBVTT)
                .append(xmlQuery).append("</BaseURL>\n")
                .append("      </Representation>\n")
                .append("    </AdaptationSet>\n");
    }

    /** Segment durations in {@link #TIMESCALE} ticks, boundaries rounded, not each duration: no drift accumulates. */
    private static List<Long> ticks(List<Double> durations) {
        long total = 0;
        List<Long> ticks = new ArrayList<>();
        for (double seconds : durations) {
            long end = Math.round((total / (double) TIMESCALE + seconds) * TIMESCALE);
            ticks.add(end - total);
            total = end;
        }
        return ticks;
    }

    /** Runs of equal durations as {@code <S d r>}, the first with {@code t="0"}. */
    private static void timeline(StringBuilder mpd, List<Long> ticks) {
        int i = 0;
        boolean first = true;
        while (i < ticks.size()) {
            int run = 1;
            while (i + run < ticks.size() && ticks.get(i + run).equals(ticks.get(i))) {
                run++;
            }
            mpd.append("          <S ").append(first ? "t=\"0\" " : "").append("d=\"").append(ticks.get(i)).append('"');
            if (run > 1) {
                mpd.append(" r=\"").append(run - 1).append('"');
            }
            mpd.append("/>\n");
            first = false;
            i += run;
        }
    }

    private static String frameRate(double fps) {
        long rounded = Math.round(fps);
        if (Math.abs(fps - rounded) < 0.001) {
            return Long.toString(rounded);
        }
        return Math.round(fps * 1001) + "/1001"; // 29.97 and the like
    }

    private static String isoSeconds(double seconds) {
        return String.format(Locale.ROOT, "PT%.3fS", seconds);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
