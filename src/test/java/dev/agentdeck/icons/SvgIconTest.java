package dev.agentdeck.icons;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.awt.image.BufferedImage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The renderer's small SVG subset: what it draws, and that everything else is refused by name. */
class SvgIconTest {
    private static BufferedImage render(String body, int size) {
        return SvgIcon.parse("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'>" + body + "</svg>", "t.svg")
                .render(size);
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    @Test
    void relativeAndImplicitPathCommandsDrawTheSameAsARect() {
        int[] rect = pixels(render("<rect x='4' y='6' width='20' height='10' fill='#f00'/>", 32));
        assertArrayEquals(rect, pixels(render("<path d='M4 6 H24 V16 H4 Z' fill='#f00'/>", 32)));
        assertArrayEquals(rect, pixels(render("<path d='m4,6 20,0 0,10 -20,0z' fill='#f00'/>", 32)));
        assertArrayEquals(rect, pixels(render("<path d='M4 6L24 6 24 16 4 16z' fill='#f00'/>", 32)));
        assertArrayEquals(rect, pixels(render("<polygon points='4,6 24,6 24,16 4,16' fill='#f00'/>", 32)));
    }

    @Test
    void aSubpathAfterZStartsWhereTheLastOneBegan() {
        BufferedImage image = render("<path d='M2 2 h10 v10 z l20 0 v10 z' fill='#00f'/>", 32);
        assertEquals(0xff0000ff, image.getRGB(20, 4), "the second triangle, drawn from (2,2)");
    }

    @Test
    void curvesReachTheirEndPoints() {
        BufferedImage c = render("<path d='M0 16 C0 0 32 0 32 16 Z' fill='#0f0'/>", 32);
        BufferedImage q = render("<path d='M0 16 q16 -16 32 0 z' fill='#0f0'/>", 32);
        assertEquals(0xff00ff00, c.getRGB(16, 12));
        assertEquals(0xff00ff00, q.getRGB(16, 12));
        assertEquals(0, c.getRGB(16, 2) >>> 24, "above the cubic's top (y=4) is empty");
        assertEquals(0, q.getRGB(16, 6) >>> 24, "above the quadratic's top (y=8) is empty");
    }

    @Test
    void groupsPassOnFillAndStrokeAndTheirOpacityAppliesOnce() {
        BufferedImage image = render("<g fill='#f00' stroke='#00f' stroke-width='4'><rect x='8' y='8' width='16' height='16'/>"
                + "</g><g opacity='0.5'><rect width='8' height='8' fill='white'/><rect width='8' height='8' fill='white'/></g>",
                32);
        assertEquals(0xffff0000, image.getRGB(16, 16), "fill from the group");
        assertEquals(0xff0000ff, image.getRGB(8, 16), "stroke from the group");
        int alpha = image.getRGB(2, 2) >>> 24;
        assertTrue(Math.abs(alpha - 128) <= 1, "two overlapping rects in a half-opaque group: alpha " + alpha);
    }

    @Test
    void shortColoursRoundRectsAndScalingFollowSvg() {
        BufferedImage image = render("<rect width='32' height='32' rx='16' fill='#abc'/>", 64);
        assertEquals(0xffaabbcc, image.getRGB(32, 32));
        assertEquals(0, image.getRGB(3, 3) >>> 24, "a circle: rx alone makes ry, clamped to half the side");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "<rect width='4' height='4' transform='rotate(45)'/>    | attribute transform on <rect>",
            "<g style='fill:red'><rect width='4' height='4'/></g>   | attribute style on <g>",
            "<rect width='4' height='4' fill='url(#g)'/>            | <rect> fill=\"url(#g)\"",
            "<rect width='4' height='4' fill='red'/>                | <rect> fill=\"red\"",
            "<rect width='50%' height='4'/>                         | <rect> width=\"50%\"",
            "<path id='arc' d='M0 0 A4 4 0 0 1 8 8'/>               | <path id=\"arc\"> d: path command 'A'",
            "<path d='M0 0 s4 4 8 8'/>                              | path command 's'",
            "<circle cx='4' cy='4' r='2' filter='url(#f)'/>         | attribute filter on <circle>",
            "<circle cx='4' cy='4' r='2' stroke-dasharray='2'/>     | attribute stroke-dasharray on <circle>",
            "<use href='#a'/>                                       | element <use>",
            "<defs/>                                                | element <defs>",
            "<rect width='4' height='4' opacity='2'/>               | <rect> opacity=\"2\" is outside 0..1",
            "<circle cx='4' cy='4'/>                                | <circle> has no r",
            "<path d='M0 0 L4'/>                                    | expected a number"})
    void whatItCannotDrawFailsNamingElementAndAttribute(String body, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> render(body, 16));
        assertTrue(e.getMessage().startsWith("t.svg: ") && e.getMessage().contains(expected.strip()), e.getMessage());
    }
}
