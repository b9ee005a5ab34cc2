package dev.reel.transcoder.storyboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reel.events.Storyboard;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class SpriteComposerTest {

    private static final Color[] COLOURS = {Color.RED, Color.GREEN, Color.BLUE, Color.YELLOW, Color.MAGENTA, Color.CYAN,
            Color.WHITE};

    private static byte[] tile(Color colour, int width, int height) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, width, height);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", out);
        return out.toByteArray();
    }

    @Test
    void tilesAreLaidOutRowByRowWhereTheirCuesSayAndAMissingOneStaysGrey() throws Exception {
        Storyboard storyboard = new Storyboard(2, 160, 90, 8, 3);
        List<byte[]> tiles = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            tiles.add(i == 7 ? null : tile(COLOURS[i], 160, 90));
        }
        BufferedImage sprite = ImageIO.read(new ByteArrayInputStream(SpriteComposer.compose(storyboard, tiles)));
        assertThat(sprite.getWidth()).isEqualTo(480);
        assertThat(sprite.getHeight()).isEqualTo(270);
        for (int i = 0; i < 7; i++) {
            // the centre of each tile's rectangle is its colour (JPEG: within a few levels)
            assertThat(close(new Color(sprite.getRGB(storyboard.x(i) + 80, storyboard.y(i) + 45)), COLOURS[i])).as("tile " + i)
                    .isTrue();
        }
        assertThat(close(new Color(sprite.getRGB(storyboard.x(7) + 80, storyboard.y(7) + 45)), new Color(0x20, 0x20, 0x20)))
                .isTrue();
    }

    @Test
    void theTileCountMustMatch() {
        assertThatThrownBy(() -> SpriteComposer.compose(new Storyboard(2, 160, 90, 2, 2), Arrays.asList((byte[]) null)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static boolean close(Color a, Color b) {
        return Math.abs(a.getRed() - b.getRed()) < 24 && Math.abs(a.getGreen() - b.getGreen()) < 24
                && Math.abs(a.getBlue() - b.getBlue()) < 24;
    }
}
