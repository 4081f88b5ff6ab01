package dev.agentdeck.transfer.imports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An INI file read as Python's {@code RawConfigParser} reads supervisord.conf: {@code ;} and {@code #} comments
 * (inline ones after whitespace), option names lower-cased, {@code =} or {@code :} between name and value,
 * indented lines continuing the value above, repeated sections merged, {@code [DEFAULT]} values in every section.
 */
final class Ini {
    private static final Pattern SECTION = Pattern.compile("\\[(.+)]");
    private static final Pattern OPTION = Pattern.compile("(.*?)\\s*[=:]\\s*(.*)");

    /** One value and the line its name is on. */
    record Entry(String value, int line) {
    }

    /** A {@code [name]} section, where it starts, and whether a line of it could not be read. */
    static final class Section {
        final String name;
        final int line;
        final Map<String, Entry> entries = new LinkedHashMap<>();
        int badLine;

        Section(String name, int line) {
            this.name = name;
            this.line = line;
        }
    }

    /** A line that is neither a section, an option, a continuation nor a comment. */
    record BadLine(int line, String text) {
    }

    final List<Section> sections = new ArrayList<>();
    final List<BadLine> badLines = new ArrayList<>();
    private final Map<String, Section> byName = new LinkedHashMap<>();
    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private Section current;
    private String option;
    private int indentLevel;

    private Ini() {
    }

    static Ini parse(String text) {
        Ini ini = new Ini();
        String[] lines = text.split("\r\n|\r|\n", -1);
        for (int i = 0; i < lines.length; i++) {
            ini.line(lines[i], i + 1);
        }
        for (Section sec : ini.byName.values()) {
            sec.entries.replaceAll((k, e) -> new Entry(String.join("\n", ini.values.get(sec.name + "\0" + k))
                    .stripTrailing(), e.line()));
        }
        ini.sections.addAll(ini.byName.values());
        inheritDefaults(ini.sections);
        return ini;
    }

    private void line(String line, int number) {
        int commentAt = commentStart(line);
        String value = (commentAt < 0 ? line : line.substring(0, commentAt)).strip();
        if (value.isEmpty()) {
            // A blank line (not a comment) inside a value is part of it, as configparser keeps it.
            if (commentAt < 0 && current != null && option != null) {
                values.get(current.name + "\0" + option).add("");
            }
            return;
        }
        int indent = indentOf(line);
        if (current != null && option != null && indent > indentLevel) {
            values.get(current.name + "\0" + option).add(value);
            return;
        }
        indentLevel = indent;
        Matcher s = SECTION.matcher(value);
        Matcher o = OPTION.matcher(value);
        if (s.lookingAt()) {
            current = byName.computeIfAbsent(s.group(1), name -> new Section(name, number));
            option = null;
        } else if (current != null && o.matches() && !o.group(1).isEmpty()) {
            option = o.group(1).strip().toLowerCase(Locale.ROOT);
            List<String> parts = new ArrayList<>();
            parts.add(o.group(2).strip());
            values.put(current.name + "\0" + option, parts);
            current.entries.put(option, new Entry("", number));
        } else {
            badLines.add(new BadLine(number, line));
            if (current != null && current.badLine == 0) {
                current.badLine = number;
            }
            option = null;
        }
    }

    /** Where a comment starts: a full-line one, or ';'/'#' at the start or after whitespace; -1 when none. */
    private static int commentStart(String line) {
        String stripped = line.strip();
        if (stripped.startsWith(";") || stripped.startsWith("#")) {
            return 0;
        }
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if ((c == ';' || c == '#') && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return i;
            }
        }
        return -1;
    }

    private static int indentOf(String line) {
        int i = 0;
        while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        return i;
    }

    private static void inheritDefaults(List<Section> sections) {
        Section defaults = sections.stream().filter(s -> s.name.equals("DEFAULT")).findFirst().orElse(null);
        if (defaults == null) {
            return;
        }
        sections.remove(defaults);
        for (Section s : sections) {
            defaults.entries.forEach(s.entries::putIfAbsent);
        }
    }
}
