package dev.agentdeck.icons;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentest4j.AssertionFailedError;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The committed icon set is what icons/agentdeck.svg draws today, in the shapes .ico and .icns readers expect. */
class IconSetTest {
    private static final Path DIR = Path.of(System.getProperty("basedir", "."), "icons");
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    /** Per channel (premultiplied, 0-255): room for a different JDK's antialiasing, not for a changed colour. */
    private static final int CHANNEL_TOLERANCE = 12;
    private static SvgIcon icon;

    @BeforeAll
    static void readSvg() throws IOException {
        icon = SvgIcon.read(DIR.resolve(IconSetMaker.SOURCE));
    }

    static List<Integer> pngSizes() {
        return IconSetMaker.PNG_SIZES;
    }

    @ParameterizedTest
    @MethodSource("pngSizes")
    void eachCommittedPngIsWhatTheSvgDraws(int size) throws IOException {
        String name = IconSetMaker.pngName(size);
        Path file = DIR.resolve(name);
        assertTrue(Files.exists(file), "icons/" + name + " is missing: run `" + IconSetMaker.COMMAND + "`");
        assertSameIcon(icon.render(size), ImageIO.read(file.toFile()), "icons/" + name);
    }

    @Test
    void aChangedSvgNoLongerMatchesTheCommittedPngs() throws IOException {
        String svg = Files.readString(DIR.resolve(IconSetMaker.SOURCE)).replace("#2da44e", "#1f6feb");
        SvgIcon changed = SvgIcon.parse(svg, "changed.svg");
        BufferedImage committed = ImageIO.read(DIR.resolve(IconSetMaker.pngName(32)).toFile());
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> assertSameIcon(changed.render(32), committed, "icons/agentdeck-32.png"));
        assertTrue(e.getMessage().contains("icons/agentdeck-32.png") && e.getMessage().contains(IconSetMaker.COMMAND),
                e.getMessage());
    }

    @Test
    void theIcoHoldsOnePngPerSizeWithZeroMeaning256() throws IOException {
        byte[] file = Files.readAllBytes(DIR.resolve("agentdeck.ico"));
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0, b.getShort(), "reserved");
        assertEquals(1, b.getShort(), "type 1 = icon");
        int count = b.getShort();
        assertEquals(IconSetMaker.ICO_SIZES.size(), count, "entries");
        List<Integer> sizes = new ArrayList<>();
        int end = 6 + 16 * count;
        for (int i = 0; i < count; i++) {
            int width = Byte.toUnsignedInt(b.get());
            int height = Byte.toUnsignedInt(b.get());
            b.get(); // colours
            assertEquals(0, b.get(), "reserved in entry " + i);
            assertEquals(1, b.getShort(), "planes in entry " + i);
            assertEquals(32, b.getShort(), "bits per pixel in entry " + i);
            int length = b.getInt();
            int offset = b.getInt();
            assertEquals(end, offset, "entry " + i + " follows the one before");
            end = offset + length;
            int size = width == 0 ? 256 : width;
            assertEquals(size, height == 0 ? 256 : height, "entry " + i + " is square");
            sizes.add(size);
            checkPayload(Arrays.copyOfRange(file, offset, end), size, "agentdeck.ico entry " + i);
        }
        assertEquals(file.length, end, "nothing after the last image");
        assertEquals(IconSetMaker.ICO_SIZES, sizes);
    }

    @Test
    void theIcnsHoldsPngsUnderTheirTypesWithBigEndianLengths() throws IOException {
        byte[] file = Files.readAllBytes(DIR.resolve("agentdeck.icns"));
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.BIG_ENDIAN);
        assertEquals("icns", type(b));
        assertEquals(file.length, b.getInt(), "the header's total length");
        List<String> types = new ArrayList<>();
        while (b.hasRemaining()) {
            String type = type(b);
            int length = b.getInt();
            assertTrue(length > 8 && b.position() - 8 + length <= file.length, type + " length " + length);
            Integer size = IconFiles.ICNS_TYPES.get(type);
            assertTrue(size != null, "unexpected type " + type);
            byte[] png = new byte[length - 8];
            b.get(png);
            checkPayload(png, size, "agentdeck.icns " + type);
            types.add(type);
        }
        assertEquals(List.copyOf(IconFiles.ICNS_TYPES.keySet()), types);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "<linearGradient id='g'><stop offset='0' stop-color='#fff'/></linearGradient>",
            "<text x='10' y='20'>AD</text>"})
    void anElementTheRendererCannotDrawFailsNamingIt(String element) {
        String name = element.substring(1, element.indexOf(' '));
        String svg = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'><rect width='4' height='4'/>"
                + element + "</svg>";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SvgIcon.parse(svg, "bad.svg"));
        assertTrue(e.getMessage().contains("element <" + name) && e.getMessage().contains("bad.svg"), e.getMessage());
    }

    @Test
    void knownPixelsHaveTheIconsColours() {
        BufferedImage image = icon.render(256);
        assertEquals(0x00, image.getRGB(2, 2) >>> 24, "outside the rounded deck is transparent");
        assertEquals(0xff26324a, image.getRGB(24, 128), "the deck");
        assertEquals(0xff2da44e, image.getRGB(74, 170), "the green badge, above its check mark");
        assertEquals(0xffffffff, image.getRGB(127, 183), "the white dot in the yellow badge");
        assertEquals(0xffcf222e, image.getRGB(182, 170), "the red badge, above its cross");
    }

    private static String type(ByteBuffer b) {
        byte[] t = new byte[4];
        b.get(t);
        return new String(t, StandardCharsets.US_ASCII);
    }

    private static void checkPayload(byte[] png, int size, String where) throws IOException {
        assertTrue(png.length > PNG_SIGNATURE.length
                && Arrays.equals(PNG_SIGNATURE, Arrays.copyOf(png, PNG_SIGNATURE.length)), where + " is not a PNG");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(size, image.getWidth(), where + " width");
        assertEquals(size, image.getHeight(), where + " height");
        assertSameIcon(icon.render(size), image, where);
    }

    /**
     * Fails unless {@code actual} is {@code expected} within {@link #CHANNEL_TOLERANCE}, for all but 0.5% of the
     * pixels (edge pixels may round differently on another JDK; a changed shape or colour moves many more).
     */
    static void assertSameIcon(BufferedImage expected, BufferedImage actual, String name) {
        String stale = name + " is stale or wrong: run `" + IconSetMaker.COMMAND + "` and commit the result. ";
        if (actual.getWidth() != expected.getWidth() || actual.getHeight() != expected.getHeight()) {
            fail(stale + "It is " + actual.getWidth() + "x" + actual.getHeight() + ", expected "
                    + expected.getWidth() + "x" + expected.getHeight());
        }
        int differing = 0;
        String first = null;
        for (int y = 0; y < expected.getHeight(); y++) {
            for (int x = 0; x < expected.getWidth(); x++) {
                int e = expected.getRGB(x, y);
                int a = actual.getRGB(x, y);
                if (distance(e, a) > CHANNEL_TOLERANCE) {
                    differing++;
                    if (first == null) {
                        first = String.format("(%d,%d) is #%08x, the SVG draws #%08x", x, y, a, e);
                    }
                }
            }
        }
        int allowed = expected.getWidth() * expected.getHeight() / 200;
        if (differing > allowed) {
            fail(stale + differing + " of " + expected.getWidth() * expected.getHeight() + " pixels differ from "
                    + IconSetMaker.SOURCE + "; first " + first);
        }
    }

    /** The largest channel difference, colours premultiplied by alpha (a transparent pixel's colour is moot). */
    private static int distance(int p, int q) {
        int ap = p >>> 24;
        int aq = q >>> 24;
        int d = Math.abs(ap - aq);
        for (int shift = 0; shift < 24; shift += 8) {
            int cp = ((p >>> shift) & 0xff) * ap / 255;
            int cq = ((q >>> shift) & 0xff) * aq / 255;
            d = Math.max(d, Math.abs(cp - cq));
        }
        return d;
    }
}
