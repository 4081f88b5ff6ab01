package dev.agentdeck.icons;

import java.awt.geom.Path2D;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SVG path data ({@code d}) and number lists ({@code points}, {@code viewBox}) read into Java2D: M L H V C Q Z in
 * absolute and relative form, with repeated coordinates after a command meaning that command again (after M, L).
 * Any other command fails, naming it.
 */
final class SvgPath {
    /** An SVG number: no units, no hex, no NaN. */
    static final Pattern NUMBER = Pattern.compile("[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?");
    private static final Pattern SEPARATOR = Pattern.compile("[\\s,]*");
    private static final String COMMANDS = "MmLlHhVvCcQqZz";

    private final String d;
    private final String where;
    private final Matcher number;
    private int pos;

    private SvgPath(String d, String where) {
        this.d = d;
        this.where = where;
        this.number = NUMBER.matcher(d);
    }

    /** The numbers of a list such as {@code points} or {@code viewBox}, separated by white space and/or commas. */
    static List<Double> numbers(String text, String where) {
        SvgPath p = new SvgPath(text, where);
        List<Double> out = new ArrayList<>();
        p.skipSeparators();
        while (p.pos < text.length()) {
            out.add(p.number());
        }
        return out;
    }

    /** {@code d} as a Java2D path; {@code where} names the element and attribute in errors. */
    static Path2D parse(String d, String where) {
        return new SvgPath(d, where).path();
    }

    private Path2D path() {
        Path2D.Double p = new Path2D.Double();
        double x = 0;
        double y = 0;
        double startX = 0;
        double startY = 0;
        boolean subpathOpen = false;
        char cmd = 0;
        skipSeparators();
        if (pos < d.length() && d.charAt(pos) != 'M' && d.charAt(pos) != 'm') {
            throw new IllegalArgumentException(where + ": path data must start with M or m, not '" + d.charAt(pos) + "'");
        }
        while (pos < d.length()) {
            char c = d.charAt(pos);
            if (Character.isLetter(c)) {
                if (COMMANDS.indexOf(c) < 0) {
                    throw new IllegalArgumentException(where + ": path command '" + c + "' is not supported (only "
                            + "M m L l H h V v C c Q q Z z)");
                }
                cmd = c;
                pos++;
            } else if (cmd == 'Z' || cmd == 'z') {
                throw new IllegalArgumentException(where + ": numbers after Z at position " + pos);
            }
            boolean rel = Character.isLowerCase(cmd);
            double ox = rel ? x : 0;
            double oy = rel ? y : 0;
            if (cmd != 'M' && cmd != 'm' && cmd != 'Z' && cmd != 'z' && !subpathOpen) {
                p.moveTo(x, y); // a drawing command right after Z starts a new subpath where the last one began
                subpathOpen = true;
            }
            switch (Character.toUpperCase(cmd)) {
                case 'M' -> {
                    x = ox + number();
                    y = oy + number();
                    p.moveTo(x, y);
                    startX = x;
                    startY = y;
                    subpathOpen = true;
                    cmd = rel ? 'l' : 'L'; // further pairs are line-tos
                }
                case 'L' -> {
                    x = ox + number();
                    y = oy + number();
                    p.lineTo(x, y);
                }
                case 'H' -> {
                    x = ox + number();
                    p.lineTo(x, y);
                }
                case 'V' -> {
                    y = oy + number();
                    p.lineTo(x, y);
                }
                case 'C' -> {
                    double x1 = ox + number();
                    double y1 = oy + number();
                    double x2 = ox + number();
                    double y2 = oy + number();
                    x = ox + number();
                    y = oy + number();
                    p.curveTo(x1, y1, x2, y2, x, y);
                }
                case 'Q' -> {
                    double x1 = ox + number();
                    double y1 = oy + number();
                    x = ox + number();
                    y = oy + number();
                    p.quadTo(x1, y1, x, y);
                }
                case 'Z' -> {
                    if (subpathOpen) {
                        p.closePath();
                    }
                    x = startX;
                    y = startY;
                    subpathOpen = false;
                }
                default -> throw new IllegalStateException("command " + cmd);
            }
            skipSeparators();
        }
        return p;
    }

    private double number() {
        skipSeparators();
        if (pos >= d.length() || !number.region(pos, d.length()).lookingAt()) {
            throw new IllegalArgumentException(where + ": expected a number at position " + pos + " of '" + d + "'"
                    + (pos < d.length() ? ", found '" + d.charAt(pos) + "'" : ", found the end"));
        }
        pos = number.end();
        double v = Double.parseDouble(number.group());
        skipSeparators();
        return v;
    }

    private void skipSeparators() {
        Matcher m = SEPARATOR.matcher(d).region(pos, d.length());
        if (m.lookingAt()) {
            pos = m.end();
        }
    }
}
