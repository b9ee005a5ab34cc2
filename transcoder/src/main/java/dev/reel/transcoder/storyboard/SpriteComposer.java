package dev.reel.transcoder.storyboard;

import dev.reel.events.Storyboard;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Lays the tiles out into the sprite, row by row, with the JDK's ImageIO: the tiles are ~100 JPEGs of a few KB already
 * in memory, so decoding and placing them in the JVM takes tens of milliseconds, where an ffmpeg {@code tile} filter
 * would need a process, a scratch folder and the tiles written to disk first (and pads a last row itself, where here
 * a missing tile is simply left grey).
 */
public final class SpriteComposer {

    /** JPEG quality of the sprite: thumbnails a few hundred pixels on screen. */
    private static final float QUALITY = 0.8f;
    private static final Color EMPTY = new Color(0x20, 0x20, 0x20);

    private SpriteComposer() {
    }

    /**
     * @param tiles the tiles' JPEG bytes in order, {@code null} for one that could not be read (left grey)
     * @return the sprite as a JPEG
     */
    public static byte[] compose(Storyboard storyboard, List<byte[]> tiles) throws IOException {
        if (tiles.size() != storyboard.tiles()) {
            throw new IllegalArgumentException(tiles.size() + " tiles for a storyboard of " + storyboard.tiles());
        }
        BufferedImage sprite = new BufferedImage(storyboard.spriteWidth(), storyboard.spriteHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sprite.createGraphics();
        try {
            g.setColor(EMPTY);
            g.fillRect(0, 0, sprite.getWidth(), sprite.getHeight());
            for (int i = 0; i < tiles.size(); i++) {
                BufferedImage tile = tiles.get(i) == null ? null : ImageIO.read(new ByteArrayInputStream(tiles.get(i)));
                if (tile != null) {
                    // drawn at the planned size: a tile of another size (it cannot be, but) never overlaps its neighbours
                    g.drawImage(tile, storyboard.x(i), storyboard.y(i), storyboard.tileWidth(), storyboard.tileHeight(), null);
                }
            }
        } finally {
            g.dispose();
        }
        return jpeg(sprite);
    }

    private static byte[] jpeg(BufferedImage image) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(QUALITY);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
