package dev.reel.transcoder.it;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How close an encoded rendition is to its source: ffmpeg's {@code ssim} and {@code psnr} filters over every frame, the
 * source scaled to the rendition's size (lanczos, as the ladder scales), both on a timeline starting at 0.
 *
 * @param ssim SSIM over all planes, averaged over the frames (1 = identical)
 * @param psnr PSNR over all planes, averaged over the frames, in dB
 */
record Quality(double ssim, double psnr) {

    private static final Pattern SSIM = Pattern.compile("SSIM .* All:([0-9.]+)");
    private static final Pattern PSNR = Pattern.compile("PSNR .* average:([0-9.]+|inf)");

    static Quality of(Path rendition, Path source, int width, int height) throws Exception {
        String graph = String.format(Locale.ROOT, "[0:v]setpts=PTS-STARTPTS,split[d1][d2];"
                + "[1:v]scale=%d:%d:flags=lanczos,format=yuv420p,setpts=PTS-STARTPTS,split[s1][s2];"
                + "[d1][s1]ssim;[d2][s2]psnr", width, height);
        String out = TestVideos.run(List.of("ffmpeg", "-hide_banner", "-nostats", "-v", "info", "-i", rendition.toString(),
                "-i", source.toString(), "-lavfi", graph, "-f", "null", "-"));
        return new Quality(Double.parseDouble(find(SSIM, out, "SSIM")), Double.parseDouble(find(PSNR, out, "PSNR")
                .replace("inf", "Infinity")));
    }

    private static String find(Pattern pattern, String output, String what) {
        Matcher m = pattern.matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("ffmpeg printed no " + what + ":\n" + output);
        }
        return m.group(1);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "SSIM %.5f, PSNR %.2f dB", ssim, psnr);
    }
}
