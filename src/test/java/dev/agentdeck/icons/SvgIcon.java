package dev.agentdeck.icons;

import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The app icon's SVG painted with Java2D, so the PNG/ICO/ICNS set is made from one source with no new dependency.
 * It knows only what a flat icon needs: rect, circle, ellipse, line, polygon, polyline and path (M L H V C Q Z,
 * absolute and relative), solid colours, strokes, opacity and {@code <g>} passing those on. Everything else
 * (gradients, transforms, text, CSS, other path commands) fails when the file is read, naming the element and
 * attribute, so an icon is never drawn silently wrong.
 */
public final class SvgIcon {
    private static final String SVG_NS = "http://www.w3.org/2000/svg";
    private static final Set<String> STYLE_ATTRIBUTES = Set.of("fill", "stroke", "stroke-width", "stroke-linecap",
            "stroke-linejoin", "opacity", "fill-opacity", "stroke-opacity");
    private static final String SHAPES = "svg, g, rect, circle, ellipse, line, polygon, polyline and path";
    /** SVG's default; BasicStroke's own default is 10. */
    private static final float MITER_LIMIT = 4f;

    private final String source;
    private final Rectangle2D viewBox;
    private final Group root;

    private SvgIcon(String source, Element svg) {
        this.source = source;
        if (!SVG_NS.equals(svg.getNamespaceURI()) || !"svg".equals(svg.getLocalName())) {
            throw new IllegalArgumentException(source + ": the root element is <" + svg.getTagName()
                    + ">, not an SVG <svg>");
        }
        checkAttributes(svg, Set.of("width", "height", "viewBox", "version"));
        this.viewBox = viewBox(svg);
        this.root = group(svg, Style.DEFAULT);
    }

    /** Reads {@code file}; fails on anything this renderer cannot draw exactly. */
    public static SvgIcon read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.getFileName().toString());
    }

    /** Parses SVG text; {@code source} names it in error messages. */
    public static SvgIcon parse(String xml, String source) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            Document doc = f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
            return new SvgIcon(source, doc.getDocumentElement());
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new IllegalArgumentException(source + ": not well-formed XML: " + e.getMessage(), e);
        }
    }

    /** Paints the icon, antialiased, into a transparent {@code size} x {@code size} image (viewBox scaled to fit). */
    public BufferedImage render(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size " + size);
        }
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = graphics(image);
        double scale = Math.min(size / viewBox.getWidth(), size / viewBox.getHeight());
        g.translate((size - viewBox.getWidth() * scale) / 2, (size - viewBox.getHeight() * scale) / 2);
        g.scale(scale, scale);
        g.translate(-viewBox.getX(), -viewBox.getY());
        paint(root, g, size);
        g.dispose();
        return image;
    }

    private static Graphics2D graphics(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        // no stroke normalisation: at 16 px it would move lines by up to half a pixel
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_COLOR_RENDERING, RenderingHints.VALUE_COLOR_RENDER_QUALITY);
        return g;
    }

    // ---- painting

    private sealed interface Item permits Group, Drawn {
        float opacity();
    }

    private record Group(List<Item> children, float opacity) implements Item {
    }

    private record Drawn(Shape shape, Style style, float opacity) implements Item {
    }

    private static void paint(Item item, Graphics2D g, int size) {
        if (item.opacity() <= 0) {
            return;
        }
        if (item.opacity() < 1) {
            // opacity applies to the element as a whole (fill and stroke, or the group's children, together)
            BufferedImage layer = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
            Graphics2D lg = graphics(layer);
            lg.setTransform(g.getTransform());
            paintContent(item, lg, size);
            lg.dispose();
            AffineTransform t = g.getTransform();
            g.setTransform(new AffineTransform());
            g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, item.opacity()));
            g.drawImage(layer, 0, 0, null);
            g.setComposite(AlphaComposite.SrcOver);
            g.setTransform(t);
        } else {
            paintContent(item, g, size);
        }
    }

    private static void paintContent(Item item, Graphics2D g, int size) {
        if (item instanceof Group group) {
            group.children().forEach(c -> paint(c, g, size));
        } else if (item instanceof Drawn d) {
            Style s = d.style();
            if (s.fill() != null) {
                g.setColor(withAlpha(s.fill(), s.fillOpacity()));
                g.fill(d.shape());
            }
            if (s.stroke() != null && s.strokeWidth() > 0) {
                g.setColor(withAlpha(s.stroke(), s.strokeOpacity()));
                g.setStroke(new BasicStroke((float) s.strokeWidth(), s.cap(), s.join(), MITER_LIMIT));
                g.draw(d.shape());
            }
        }
    }

    private static Color withAlpha(Color c, double alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), (int) Math.round(alpha * 255));
    }

    // ---- reading the document into groups and shapes

    private Group group(Element e, Style inherited) {
        Style style = inherited.with(e, this);
        List<Item> children = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            switch (n.getNodeType()) {
                case Node.COMMENT_NODE -> {
                }
                case Node.TEXT_NODE, Node.CDATA_SECTION_NODE -> {
                    if (!n.getNodeValue().isBlank()) {
                        throw new IllegalArgumentException(source + ": text inside " + describe(e)
                                + " is not supported: '" + n.getNodeValue().strip() + "'");
                    }
                }
                case Node.ELEMENT_NODE -> children.add(item((Element) n, style));
                default -> throw new IllegalArgumentException(source + ": " + n.getNodeName() + " inside "
                        + describe(e) + " is not supported");
            }
        }
        return new Group(children, opacity(e));
    }

    private Item item(Element e, Style inherited) {
        if (!SVG_NS.equals(e.getNamespaceURI())) {
            throw new IllegalArgumentException(source + ": element " + describe(e)
                    + " is not in the SVG namespace and is not supported");
        }
        String name = e.getLocalName();
        Shape shape = switch (name) {
            case "g" -> {
                checkAttributes(e, Set.of());
                yield null;
            }
            case "rect" -> rect(e);
            case "circle" -> {
                checkAttributes(e, Set.of("cx", "cy", "r"));
                double r = length(e, "r");
                yield new Ellipse2D.Double(number(e, "cx", 0) - r, number(e, "cy", 0) - r, 2 * r, 2 * r);
            }
            case "ellipse" -> {
                checkAttributes(e, Set.of("cx", "cy", "rx", "ry"));
                double rx = length(e, "rx");
                double ry = length(e, "ry");
                yield new Ellipse2D.Double(number(e, "cx", 0) - rx, number(e, "cy", 0) - ry, 2 * rx, 2 * ry);
            }
            case "line" -> {
                checkAttributes(e, Set.of("x1", "y1", "x2", "y2"));
                yield new Line2D.Double(number(e, "x1", 0), number(e, "y1", 0), number(e, "x2", 0), number(e, "y2", 0));
            }
            case "polygon", "polyline" -> {
                checkAttributes(e, Set.of("points"));
                yield points(e, name.equals("polygon"));
            }
            case "path" -> {
                checkAttributes(e, Set.of("d"));
                yield SvgPath.parse(e.getAttribute("d"), source + ": " + describe(e) + " d");
            }
            default -> throw new IllegalArgumentException(source + ": element " + describe(e)
                    + " is not supported (only " + SHAPES + ")");
        };
        return shape == null ? group(e, inherited) : new Drawn(shape, inherited.with(e, this), opacity(e));
    }

    private Shape rect(Element e) {
        checkAttributes(e, Set.of("x", "y", "width", "height", "rx", "ry"));
        double w = length(e, "width");
        double h = length(e, "height");
        // SVG: a missing rx or ry takes the other's value; both are clamped to half the side
        double rx = length(e, "rx", length(e, "ry", 0));
        double ry = length(e, "ry", rx);
        rx = Math.min(rx, w / 2);
        ry = Math.min(ry, h / 2);
        double x = number(e, "x", 0);
        double y = number(e, "y", 0);
        return rx == 0 || ry == 0 ? new Rectangle2D.Double(x, y, w, h)
                : new RoundRectangle2D.Double(x, y, w, h, 2 * rx, 2 * ry);
    }

    private Shape points(Element e, boolean closed) {
        List<Double> p = SvgPath.numbers(required(e, "points"), source + ": " + describe(e) + " points");
        if (p.size() < 4 || p.size() % 2 != 0) {
            throw new IllegalArgumentException(source + ": " + describe(e)
                    + " points needs at least two x,y pairs, got " + p.size() + " numbers");
        }
        Path2D.Double path = new Path2D.Double();
        path.moveTo(p.get(0), p.get(1));
        for (int i = 2; i < p.size(); i += 2) {
            path.lineTo(p.get(i), p.get(i + 1));
        }
        if (closed) {
            path.closePath();
        }
        return path;
    }

    private Rectangle2D viewBox(Element svg) {
        if (svg.hasAttribute("viewBox")) {
            List<Double> v = SvgPath.numbers(svg.getAttribute("viewBox"), source + ": <svg> viewBox");
            if (v.size() != 4 || v.get(2) <= 0 || v.get(3) <= 0) {
                throw new IllegalArgumentException(source + ": <svg> viewBox must be 'x y width height' with a "
                        + "positive width and height, not '" + svg.getAttribute("viewBox") + "'");
            }
            return new Rectangle2D.Double(v.get(0), v.get(1), v.get(2), v.get(3));
        }
        double w = positive(svg, "width");
        double h = positive(svg, "height");
        return new Rectangle2D.Double(0, 0, w, h);
    }

    private double positive(Element e, String attribute) {
        double v = number(e, attribute, 0);
        if (v <= 0) {
            throw new IllegalArgumentException(source + ": " + describe(e) + " needs a viewBox or a positive "
                    + attribute);
        }
        return v;
    }

    // ---- attributes

    private void checkAttributes(Element e, Set<String> geometry) {
        NamedNodeMap attributes = e.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            Attr a = (Attr) attributes.item(i);
            if (XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(a.getNamespaceURI())) {
                continue; // namespace declarations
            }
            String name = a.getNamespaceURI() == null ? a.getLocalName() : null;
            if (name == null || !(geometry.contains(name) || STYLE_ATTRIBUTES.contains(name) || name.equals("id"))) {
                throw new IllegalArgumentException(source + ": attribute " + a.getName() + " on " + describe(e)
                        + " is not supported");
            }
        }
    }

    private String required(Element e, String attribute) {
        if (!e.hasAttribute(attribute)) {
            throw new IllegalArgumentException(source + ": " + describe(e) + " has no " + attribute);
        }
        return e.getAttribute(attribute);
    }

    double number(Element e, String attribute, double absent) {
        if (!e.hasAttribute(attribute)) {
            return absent;
        }
        String v = e.getAttribute(attribute).strip();
        if (!SvgPath.NUMBER.matcher(v).matches()) {
            throw new IllegalArgumentException(source + ": " + describe(e) + " " + attribute + "=\"" + v
                    + "\" is not a plain number (units and percentages are not supported)");
        }
        return Double.parseDouble(v);
    }

    /** A length that must be there and must not be negative (width, height, r, ...). */
    private double length(Element e, String attribute) {
        required(e, attribute);
        return length(e, attribute, 0);
    }

    double length(Element e, String attribute, double absent) {
        double v = number(e, attribute, absent);
        if (v < 0) {
            throw new IllegalArgumentException(source + ": " + describe(e) + " " + attribute + " is negative");
        }
        return v;
    }

    float opacity(Element e) {
        return (float) unit(e, "opacity");
    }

    double unit(Element e, String attribute) {
        double v = number(e, attribute, 1);
        if (v < 0 || v > 1) {
            throw new IllegalArgumentException(source + ": " + describe(e) + " " + attribute + "=\""
                    + e.getAttribute(attribute) + "\" is outside 0..1");
        }
        return v;
    }

    Color color(Element e, String attribute) {
        String v = e.getAttribute(attribute).strip().toLowerCase(Locale.ROOT);
        switch (v) {
            case "none":
                return null;
            case "white":
                return Color.WHITE;
            case "black":
                return Color.BLACK;
            default:
                break;
        }
        if (v.matches("#[0-9a-f]{3}")) {
            return new Color(Integer.parseInt(v.substring(1, 2), 16) * 17, Integer.parseInt(v.substring(2, 3), 16) * 17,
                    Integer.parseInt(v.substring(3, 4), 16) * 17);
        }
        if (v.matches("#[0-9a-f]{6}")) {
            return new Color(Integer.parseInt(v.substring(1), 16));
        }
        throw new IllegalArgumentException(source + ": " + describe(e) + " " + attribute + "=\""
                + e.getAttribute(attribute) + "\" is not supported (only #rgb, #rrggbb, none, white and black)");
    }

    int keyword(Element e, String attribute, List<String> names, int... values) {
        String v = e.getAttribute(attribute).strip();
        int i = names.indexOf(v);
        if (i < 0) {
            throw new IllegalArgumentException(source + ": " + describe(e) + " " + attribute + "=\"" + v
                    + "\" is not supported (only " + String.join(", ", names) + ")");
        }
        return values[i];
    }

    static String describe(Element e) {
        String id = e.getAttribute("id");
        return "<" + e.getTagName() + (id.isEmpty() ? "" : " id=\"" + id + "\"") + ">";
    }

    /** The inherited presentation attributes; {@code fill} or {@code stroke} null means none. */
    private record Style(Color fill, Color stroke, double strokeWidth, int cap, int join, double fillOpacity,
                         double strokeOpacity) {
        static final Style DEFAULT = new Style(Color.BLACK, null, 1, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1, 1);

        Style with(Element e, SvgIcon in) {
            return new Style(
                    e.hasAttribute("fill") ? in.color(e, "fill") : fill,
                    e.hasAttribute("stroke") ? in.color(e, "stroke") : stroke,
                    in.length(e, "stroke-width", strokeWidth),
                    e.hasAttribute("stroke-linecap") ? in.keyword(e, "stroke-linecap", List.of("butt", "round", "square"),
                            BasicStroke.CAP_BUTT, BasicStroke.CAP_ROUND, BasicStroke.CAP_SQUARE) : cap,
                    e.hasAttribute("stroke-linejoin") ? in.keyword(e, "stroke-linejoin", List.of("miter", "round", "bevel"),
                            BasicStroke.JOIN_MITER, BasicStroke.JOIN_ROUND, BasicStroke.JOIN_BEVEL) : join,
                    e.hasAttribute("fill-opacity") ? in.unit(e, "fill-opacity") : fillOpacity,
                    e.hasAttribute("stroke-opacity") ? in.unit(e, "stroke-opacity") : strokeOpacity);
        }
    }
}
