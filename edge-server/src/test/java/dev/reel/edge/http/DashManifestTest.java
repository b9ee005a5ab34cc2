package dev.reel.edge.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reel.events.CaptionKind;
import dev.reel.events.CaptionTrack;
import dev.reel.events.Rendition;
import dev.reel.events.RenditionKind;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class DashManifestTest {

    private static Rendition rendition(String name, int height, long bandwidth, double fps) {
        return new Rendition(name, height * 16 / 9 / 2 * 2, height, bandwidth, bandwidth * 9 / 10, "avc1.4d401e,mp4a.40.2", fps,
                "media/vid/" + name + "/index.m3u8", 4, 14.5, false);
    }

    @Test
    void segmentDurationsComeFromThePlaylist() {
        String playlist = "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:4\n#EXT-X-MAP:URI=\"init.mp4\"\n"
                + "#EXTINF:4.004000,\nseg-00001.m4s\n#EXTINF:4.004,\nseg-00002.m4s\n#EXTINF:2.5,\nseg-00003.m4s\n#EXT-X-ENDLIST\n";
        assertThat(DashManifest.segmentDurations(playlist)).containsExactly(4.004, 4.004, 2.5);
    }

    @Test
    void oneAdaptationSetOverTheHlsSegmentsWithATimelineThatDoesNotDrift() throws Exception {
        List<Double> durations = java.util.Collections.nCopies(300, 4.0040004);
        String mpd = DashManifest.mpd(List.of(rendition("240p", 240, 440_000, 29.97), rendition("360p", 360, 880_000, 29.97)),
                durations, null, List.of(), List.of(), "");
        Document doc = parse(mpd);
        Element root = doc.getDocumentElement();
        assertThat(root.getAttribute("type")).isEqualTo("static");
        assertThat(root.getAttribute("mediaPresentationDuration")).isEqualTo("PT1201.200S"); // 300 x 4.004, no drift
        NodeList sets = doc.getElementsByTagName("AdaptationSet");
        assertThat(sets.getLength()).isOne();
        assertThat(doc.getElementsByTagName("ContentComponent").getLength()).as("no muxed components for dash.js").isZero();
        Element template = (Element) doc.getElementsByTagName("SegmentTemplate").item(0);
        assertThat(template.getAttribute("media")).isEqualTo("$RepresentationID$/seg-$Number%05d$.m4s");
        assertThat(template.getAttribute("initialization")).isEqualTo("$RepresentationID$/init.mp4");
        assertThat(template.getAttribute("startNumber")).isEqualTo("1");
        long sum = 0;
        int segments = 0;
        NodeList s = doc.getElementsByTagName("S");
        for (int i = 0; i < s.getLength(); i++) {
            Element e = (Element) s.item(i);
            int repeat = e.hasAttribute("r") ? Integer.parseInt(e.getAttribute("r")) : 0;
            segments += repeat + 1;
            sum += Long.parseLong(e.getAttribute("d")) * (repeat + 1);
        }
        assertThat(segments).isEqualTo(300);
        assertThat(sum).isEqualTo(1_201_200);
        assertThat(((Element) s.item(0)).getAttribute("t")).isEqualTo("0");
        NodeList reps = doc.getElementsByTagName("Representation");
        assertThat(reps.getLength()).isEqualTo(2);
        Element low = (Element) reps.item(0);
        assertThat(low.getAttribute("id")).isEqualTo("240p");
        assertThat(low.getAttribute("bandwidth")).isEqualTo("440000");
        assertThat(low.getAttribute("codecs")).isEqualTo("avc1.4d401e,mp4a.40.2");
        assertThat(low.getAttribute("frameRate")).isEqualTo("30000/1001");
    }

    @Test
    void aTokenFollowsEverySegmentUrl() throws Exception {
        String mpd = DashManifest.mpd(List.of(rendition("240p", 240, 440_000, 25)), List.of(4.0, 4.0, 1.5), null, List.of(),
                List.of(),
                Playlists.tokenQuery("123.ab-_c"));
        Element template = (Element) parse(mpd).getElementsByTagName("SegmentTemplate").item(0);
        assertThat(template.getAttribute("media")).endsWith("seg-$Number%05d$.m4s?token=123.ab-_c");
        assertThat(template.getAttribute("initialization")).endsWith("init.mp4?token=123.ab-_c");
        assertThat(mpd).contains("<S t=\"0\" d=\"4000\" r=\"1\"/>", "<S d=\"1500\"/>", "frameRate=\"25\"");
        assertThatThrownBy(() -> DashManifest.mpd(List.of(), List.of(4.0), null, List.of(), List.of(), ""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDemuxedAudioRenditionIsItsOwnAdaptationSetWithItsOwnTimeline() throws Exception {
        Rendition video = new Rendition("240p", 426, 240, 400_000, 360_000, "avc1.4d401e", 25, "media/vid/240p/index.m3u8", 3,
                10, false, RenditionKind.VIDEO, false);
        Rendition audio = new Rendition("audio", 0, 0, 132_000, 128_000, "mp4a.40.2", 0, "media/vid/audio/index.m3u8", 3,
                10.02, false, RenditionKind.AUDIO, false);
        Document doc = parse(
                DashManifest.mpd(List.of(video), List.of(4.0, 4.0, 2.0), audio, List.of(4.0, 4.0, 2.02), List.of(), "?token=t"));
        NodeList sets = doc.getElementsByTagName("AdaptationSet");
        assertThat(sets.getLength()).isEqualTo(2);
        Element audioSet = (Element) sets.item(1);
        assertThat(audioSet.getAttribute("contentType")).isEqualTo("audio");
        assertThat(audioSet.getAttribute("mimeType")).isEqualTo("audio/mp4");
        Element audioRepresentation = (Element) audioSet.getElementsByTagName("Representation").item(0);
        assertThat(audioRepresentation.getAttribute("id")).isEqualTo("audio");
        assertThat(audioRepresentation.getAttribute("codecs")).isEqualTo("mp4a.40.2");
        assertThat(((Element) audioSet.getElementsByTagName("SegmentTemplate").item(0)).getAttribute("media"))
                .isEqualTo("$RepresentationID$/seg-$Number%05d$.m4s?token=t");
        assertThat(((Element) audioSet.getElementsByTagName("S").item(1)).getAttribute("d")).isEqualTo("2020");
        assertThat(((Element) sets.item(0)).getElementsByTagName("Representation").getLength()).as("video only").isOne();
        assertThat(doc.getDocumentElement().getAttribute("mediaPresentationDuration")).as("the longer of the two")
                .isEqualTo("PT10.020S");
    }

    @Test
    void eachTextTrackIsATextAdaptationSetOfItsWebVttFileWithLanguageLabelAndRole() throws Exception {
        CaptionTrack en = new CaptionTrack("en", "English & more", CaptionKind.CAPTIONS, "media/vid/captions/en/b.vtt", 1000,
                3);
        CaptionTrack ptBr = new CaptionTrack("pt-BR", "Português", CaptionKind.SUBTITLES, "media/vid/captions/pt-BR/c.vtt",
                500, 2);
        Document doc = parse(DashManifest.mpd(List.of(rendition("240p", 240, 440_000, 25)), List.of(4.0, 4.0, 2.0), null,
                List.of(), List.of(en, ptBr), "?token=a&b"));

        NodeList sets = doc.getElementsByTagName("AdaptationSet");
        assertThat(sets.getLength()).isEqualTo(3);
        Element first = (Element) sets.item(1);
        assertThat(List.of(first.getAttribute("contentType"), first.getAttribute("mimeType"), first.getAttribute("lang")))
                .containsExactly("text", "text/vtt", "en");
        assertThat(first.getElementsByTagName("Label").item(0).getTextContent()).isEqualTo("English & more");
        Element role = (Element) first.getElementsByTagName("Role").item(0);
        assertThat(role.getAttribute("schemeIdUri")).isEqualTo("urn:mpeg:dash:role:2011");
        assertThat(role.getAttribute("value")).isEqualTo("caption");
        Element representation = (Element) first.getElementsByTagName("Representation").item(0);
        assertThat(representation.getAttribute("id")).isEqualTo("text-en");
        assertThat(representation.getAttribute("bandwidth")).isEqualTo("800"); // 1000 bytes over 10 s
        assertThat(representation.getElementsByTagName("BaseURL").item(0).getTextContent())
                .as("the file HLS plays, relative to the MPD, with the token").isEqualTo("captions/en.vtt?token=a&b");
        assertThat(first.getElementsByTagName("SegmentTemplate").getLength()).as("a sidecar file, not segments").isZero();
        Element second = (Element) sets.item(2);
        assertThat(second.getAttribute("lang")).isEqualTo("pt-BR");
        assertThat(((Element) second.getElementsByTagName("Role").item(0)).getAttribute("value")).isEqualTo("subtitle");
        assertThat(new java.util.HashSet<>(List.of(((Element) sets.item(0)).getAttribute("id"), first.getAttribute("id"),
                second.getAttribute("id")))).as("AdaptationSet ids unique").hasSize(3);
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }
}
