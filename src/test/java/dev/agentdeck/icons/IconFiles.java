package dev.agentdeck.icons;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;

/**
 * The containers jpackage takes an icon in, both holding PNG images: {@code .ico} for Windows and {@code .icns} for
 * macOS. PNGs are written by ImageIO, which adds no timestamp, so the same images give the same bytes.
 */
final class IconFiles {
    /** The .icns image types and their pixel sizes, in the order they are written; ic11 to ic14 are the @2x ones. */
    static final Map<String, Integer> ICNS_TYPES = icnsTypes();

    private IconFiles() {
    }

    private static Map<String, Integer> icnsTypes() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("icp4", 16);
        m.put("icp5", 32);
        m.put("icp6", 64);
        m.put("ic07", 128);
        m.put("ic08", 256);
        m.put("ic09", 512);
        m.put("ic10", 1024); // 512@2x
        m.put("ic11", 32); // 16@2x
        m.put("ic12", 64); // 32@2x
        m.put("ic13", 256); // 128@2x
        m.put("ic14", 512); // 256@2x
        return java.util.Collections.unmodifiableMap(m);
    }

    static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * An .ico of PNG images: ICONDIR (reserved 0, type 1, count), one 16-byte ICONDIRENTRY per image (a width or
     * height byte of 0 means 256), then the PNGs; all little-endian.
     */
    static byte[] ico(SortedMap<Integer, byte[]> pngBySize) {
        int headers = 6 + 16 * pngBySize.size();
        int total = headers + pngBySize.values().stream().mapToInt(b -> b.length).sum();
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0).putShort((short) 1).putShort((short) pngBySize.size());
        int offset = headers;
        for (Map.Entry<Integer, byte[]> e : pngBySize.entrySet()) {
            int size = e.getKey();
            if (size < 1 || size > 256) {
                throw new IllegalArgumentException("an .ico image is 1 to 256 pixels, not " + size);
            }
            b.put((byte) (size == 256 ? 0 : size)).put((byte) (size == 256 ? 0 : size));
            b.put((byte) 0).put((byte) 0); // no palette, reserved
            b.putShort((short) 1).putShort((short) 32); // colour planes, bits per pixel
            b.putInt(e.getValue().length).putInt(offset);
            offset += e.getValue().length;
        }
        pngBySize.values().forEach(b::put);
        return b.array();
    }

    /**
     * An .icns: 'icns' and the file's length, then per image its OSType, its length including that 8-byte header,
     * and the PNG; all big-endian. {@code pngBySize} must hold every size {@link #ICNS_TYPES} names.
     */
    static byte[] icns(Map<Integer, byte[]> pngBySize) {
        int total = 8;
        for (int size : ICNS_TYPES.values()) {
            byte[] png = pngBySize.get(size);
            if (png == null) {
                throw new IllegalArgumentException("no " + size + " px image for the .icns");
            }
            total += 8 + png.length;
        }
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.BIG_ENDIAN);
        b.put("icns".getBytes(StandardCharsets.US_ASCII)).putInt(total);
        ICNS_TYPES.forEach((type, size) -> {
            byte[] png = pngBySize.get(size);
            b.put(type.getBytes(StandardCharsets.US_ASCII)).putInt(8 + png.length).put(png);
        });
        return b.array();
    }
}
