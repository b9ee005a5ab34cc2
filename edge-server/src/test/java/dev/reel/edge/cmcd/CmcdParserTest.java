package dev.reel.edge.cmcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.util.UrlEncoded;
import org.junit.jupiter.api.Test;

class CmcdParserTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CmcdParser parser = new CmcdParser(registry);

    @Test
    void readsWhatHlsJsSendsOnASegmentRequest() {
        // hls.js 1.7 (cmcd: {sessionId, contentId}), CMCD v1 as a query argument, keys sorted, URL-encoded
        String query = "bl%3D8400%2Cbr%3D880%2Ccid%3D%22v_8Jq2xN4pLm0aZ7Rt%22%2Cd%3D4000%2Cdl%3D8400%2Cmtp%3D25400%2Cot%3Dv"
                + "%2Csf%3Dh%2Csid%3D%22a1b2c3d4e5f6%22%2Cst%3Dv%2Csu%2Ctb%3D2100";
        Cmcd cmcd = parser.parse(URLDecoder.decode(query, StandardCharsets.UTF_8));
        assertThat(cmcd).isEqualTo(new Cmcd("a1b2c3d4e5f6", 8_400L, 25_400L, 880L, "v", true));
        assertThat(count("reel.edge.cmcd.ignored.keys")).isZero();
        assertThat(registry.get("reel.edge.cmcd.requests").tag("result", "parsed").counter().count()).isEqualTo(1);
    }

    @Test
    void readsTheCmcdArgumentStraightFromTheRawQuery() {
        String encoded = "bl%3D8400%2Cbr%3D880%2Cot%3Dv%2Csid%3D%22a1b2%22%2Csu";
        Cmcd expected = new Cmcd("a1b2", 8_400L, null, 880L, "v", true);
        assertThat(parser.parseQuery("CMCD=" + encoded)).isEqualTo(expected);
        assertThat(parser.parseQuery("token=abc.def&CMCD=" + encoded + "&CMCD=bl%3D1&x=1")).as("the first, as Jetty's")
                .isEqualTo(expected);
        assertThat(parser.parseQuery("CMCD=bl=5,ot=v")).as("not encoded").isEqualTo(new Cmcd(null, 5L, null, null, "v", null));
        assertThat(parser.parseQuery("CMCD=sid%3D%22a+b%22")).as("+ is a space, none is allowed in an id")
                .isEqualTo(Cmcd.NONE);
        for (String none : new String[]{null, "", "CMCD=", "session=s1", "XCMCD=bl%3D1&CMCDX=bl%3D1&cmcd=bl%3D1", "CMCD",
                "&&CMCD&"}) {
            assertThat(parser.parseQuery(none)).as(none).isEqualTo(Cmcd.NONE);
        }
        assertThat(count("reel.edge.cmcd.ignored.keys")).isEqualTo(1);
    }

    @Test
    void readsTheHeadersHlsJsSendsWithUseHeadersAsOneDictionary() {
        // hls.js 1.7 with cmcd.useHeaders and the watch page's includeKeys: the keys sharded over three headers
        HttpFields headers = HttpFields.build().add("Accept", "*/*").add("CMCD-Object", "br=880,ot=v")
                .add("CMCD-Request", "bl=8400,mtp=25400,su").add("CMCD-Session", "cid=\"v_8Jq2\",sid=\"a1b2c3\"");
        assertThat(parser.parseHeaders(headers)).isEqualTo(new Cmcd("a1b2c3", 8_400L, 25_400L, 880L, "v", true));
        assertThat(registry.get("reel.edge.cmcd.requests").tag("result", "parsed").counter().count())
                .as("one request, however many headers").isEqualTo(1);
        assertThat(parser.parseHeaders(HttpFields.build().add("cmcd-request", "bl=5").add("CMCD-STATUS", "rtp=1000")
                .add("CMCD-Other", "br=9").add("X-CMCD-Object", "ot=v").add("CMCD-", "br=9")))
                .as("names in any case; only CTA-5004's four").isEqualTo(new Cmcd(null, 5L, null, null, null, null));
        assertThat(parser.parseHeaders(HttpFields.build().add("Range", "bytes=0-1"))).isSameAs(Cmcd.NONE);
        assertThat(parser.parseHeaders(HttpFields.build().add("CMCD-Request", ""))).isSameAs(Cmcd.NONE);
    }

    @Test
    void theQueryArgumentComesBeforeTheHeadersAndHeadersAreBoundedTogether() {
        HttpFields headers = HttpFields.build().add("CMCD-Request", "bl=5").add("CMCD-Object", "ot=a");
        assertThat(parser.parseRequest("CMCD=bl%3D7", headers)).isEqualTo(new Cmcd(null, 7L, null, null, null, null));
        assertThat(parser.parseRequest("token=x", headers)).isEqualTo(new Cmcd(null, 5L, null, null, "a", null));
        assertThat(parser.parseRequest(null, HttpFields.EMPTY)).isSameAs(Cmcd.NONE);

        String half = "d=4000," + " ".repeat(CmcdParser.MAX_LENGTH / 2);
        assertThat(parser.parseHeaders(HttpFields.build().add("CMCD-Request", "bl=1," + half).add("CMCD-Object", half)))
                .as("more than the bound in all").isSameAs(Cmcd.NONE);
        assertThat(registry.get("reel.edge.cmcd.requests").tag("result", "oversized").counter().count()).isEqualTo(1);
        StringBuilder many = new StringBuilder("d=4000");
        for (int i = 1; i < CmcdParser.MAX_KEYS; i++) {
            many.append(",d=4000");
        }
        assertThat(parser.parseHeaders(HttpFields.build().add("CMCD-Object", many.toString()).add("CMCD-Request", "bl=3"))
                .bufferMillis()).as("the key bound counts every header's keys").isNull();
        assertThat(registry.get("reel.edge.cmcd.ignored.keys").tag("reason", "too-many").counter().count()).isEqualTo(1);
    }

    @Test
    void aRawQueryArgumentThatDoesNotDecodeOrIsTooLongIsIgnoredAndCounted() {
        assertThat(parser.parseQuery("CMCD=bl%3D5%zz%2Cot%3Dv")).isSameAs(Cmcd.NONE);
        assertThat(registry.get("reel.edge.cmcd.requests").tag("result", "undecodable").counter().count()).isEqualTo(1);
        assertThat(parser.parseQuery("CMCD=bl%3D5%2Cot%3Dv%2").bufferMillis()).as("a cut escape is a malformed value")
                .isEqualTo(5L);
        assertThat(parser.parseQuery("CMCD=" + "%2C".repeat(CmcdParser.MAX_LENGTH) + "s")).isSameAs(Cmcd.NONE);
        assertThat(registry.get("reel.edge.cmcd.requests").tag("result", "oversized").counter().count()).isEqualTo(1);
        assertThat(parser.parseQuery("CMCD=bl%3D7%2C" + "%20".repeat(CmcdParser.MAX_LENGTH - 10)).bufferMillis())
                .as("within the bounds once decoded").isEqualTo(7L);
    }

    @Test
    void decodesTheRawArgumentExactlyAsJettyDoes() {
        // the ASCII fast path and Jetty's decoder (which the parser falls back to) must read every argument alike
        String[] pieces = {"bl", "=", "%3D", "%2C", ",", "%22", "\"", "sid", "ot", "v", "su", "12", "+", "%20", "%C3%A9", "é",
                "%", "%2", "%zz", "%7e", "%7E", "%80", "%FF", "a"};
        Random random = new Random(11);
        for (int n = 0; n < 5_000; n++) {
            StringBuilder encoded = new StringBuilder();
            for (int i = random.nextInt(12); i >= 0; i--) {
                encoded.append(pieces[random.nextInt(pieces.length)]);
            }
            String argument = encoded.toString();
            Cmcd viaJetty;
            try {
                viaJetty = new CmcdParser(new SimpleMeterRegistry())
                        .parse(UrlEncoded.decodeString(argument, 0, argument.length(), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                viaJetty = Cmcd.NONE;
            }
            assertThat(parser.parseQuery("CMCD=" + argument)).as(argument).isEqualTo(viaJetty);
        }
    }

    @Test
    void readsAPlaylistRequestAndTheV2Forms() {
        assertThat(parser.parse("cid=\"v1\",ot=m,sf=h,sid=\"s-1\",su")).isEqualTo(new Cmcd("s-1", null, null, null, "m", true));
        assertThat(parser.parse("bl=(8400 1200),br=(880),mtp=25400.4,ot=av,su=?0,sid=\"s\",v=2"))
                .isEqualTo(new Cmcd("s", 8_400L, 25_400L, 880L, "av", false));
        assertThat(parser.parse("sid=\"with,comma\",ot=i")).isEqualTo(new Cmcd("with,comma", null, null, null, "i", null));
    }

    @Test
    void readsEscapesInsideAValueAndTheEndsOfListsAndParameters() {
        assertThat(parser.parseQuery("CMCD=sid%3D%22a%2Db%22%2Cot%3Dv").sessionId()).as("an escape inside the id")
                .isEqualTo("a-b");
        assertThat(parser.parse("bl=(5)),br=(6\t),mtp=7;x,ot=v;y,su=?1;z"))
                .isEqualTo(new Cmcd(null, null, 7L, 6L, "v", true));
        assertThat(parser.parse("sid=\"s\";p,bl=(5 6)x,br=(7 8)")).as("a string has no parameters; a list ends with )")
                .isEqualTo(new Cmcd(null, null, null, 7L, null, null));
        assertThat(registry.get("reel.edge.cmcd.ignored.keys").tag("reason", "malformed").counter().count()).isEqualTo(3);
    }

    @Test
    void noCmcdIsNothing() {
        assertThat(parser.parse(null)).isSameAs(Cmcd.NONE);
        assertThat(parser.parse("")).isSameAs(Cmcd.NONE);
        assertThat(registry.get("reel.edge.cmcd.requests").tag("result", "parsed").counter().count()).isZero();
    }

    @Test
    void unknownKeysAndMalformedValuesAreSkippedAndCounted() {
        Cmcd cmcd = parser.parse("bl=-5,br=fast,com.example-x=1,ot=video,sid=unquoted,su=yes,mtp=900,Bad Key=1,,=3");
        assertThat(cmcd).isEqualTo(new Cmcd(null, null, 900L, null, null, null));
        assertThat(registry.get("reel.edge.cmcd.ignored.keys").tag("reason", "malformed").counter().count()).isEqualTo(5);
        assertThat(registry.get("reel.edge.cmcd.ignored.keys").tag("reason", "unknown").counter().count()).isEqualTo(3);
    }

    @Test
    void numbersAreIntegersOrDecimalsWithinTheirBounds() {
        assertThat(parser.parse("bl=" + "9".repeat(15)).bufferMillis()).isEqualTo(999_999_999_999_999L);
        assertThat(parser.parse("bl=12.5").bufferMillis()).as("rounded").isEqualTo(13L);
        assertThat(parser.parse("bl=0.499").bufferMillis()).isZero();
        assertThat(parser.parse("bl=0").bufferMillis()).isZero();
        for (String malformed : new String[]{"9".repeat(16), "1".repeat(13) + ".5", "1.2345", "1.", ".5", "-1.5", "1e3",
                "12x", "-", "(", "()", "1 2"}) {
            assertThat(parser.parse("bl=" + malformed).bufferMillis()).as(malformed).isNull();
        }
        assertThat(registry.get("reel.edge.cmcd.ignored.keys").tag("reason", "malformed").counter().count()).isEqualTo(12);
        assertThat(parser.parse("sid=\"a\"b\"").sessionId()).as("no quote inside a session id").isNull();
        assertThat(parser.parse("sid=\"\"").sessionId()).isNull();
        assertThat(parser.parse("sid=\"" + "s".repeat(64) + "\"").sessionId()).hasSize(64);
    }

    @Test
    void boundedInLengthKeysAndSessionIdSize() {
        assertThat(parser.parse("sid=\"" + "s".repeat(2_000) + "\"")).isSameAs(Cmcd.NONE);
        assertThat(registry.get("reel.edge.cmcd.requests").tag("result", "oversized").counter().count()).isEqualTo(1);
        assertThat(parser.parse("sid=\"" + "s".repeat(65) + "\"").sessionId()).isNull();
        assertThat(parser.parse("sid=\"a b\"").sessionId()).as("no spaces in a session id").isNull();

        StringBuilder many = new StringBuilder();
        for (int i = 0; i < CmcdParser.MAX_KEYS + 5; i++) {
            many.append("d=4000,");
        }
        many.append("bl=100");
        assertThat(parser.parse(many.toString()).bufferMillis()).as("keys past the bound are not read").isNull();
        assertThat(registry.get("reel.edge.cmcd.ignored.keys").tag("reason", "too-many").counter().count()).isEqualTo(6);
    }

    @Test
    void anUnterminatedStringNeverThrows() {
        assertThat(parser.parse("sid=\"abc,bl=100").sessionId()).isNull();
        assertThat(parser.parse("\"\"\"\\").objectType()).isNull();
    }

    private double count(String name) {
        return registry.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
