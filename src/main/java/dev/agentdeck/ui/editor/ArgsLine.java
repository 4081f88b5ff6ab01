package dev.agentdeck.ui.editor;

import java.util.ArrayList;
import java.util.List;

/**
 * Arguments as one line the user edits: split on spaces, with double or single quotes around arguments that
 * contain spaces and a backslash before a quote or backslash inside double quotes. Joining quotes only what
 * needs it, so {@code split(join(args))} gives the same list back. No shell is ever involved.
 */
public final class ArgsLine {
    private ArgsLine() {
    }

    public static String join(List<String> args) {
        List<String> out = new ArrayList<>();
        for (String a : args) {
            if (!a.isEmpty() && a.chars().noneMatch(c -> Character.isWhitespace(c) || c == '"' || c == '\'' || c == '\\')) {
                out.add(a);
            } else {
                out.add('"' + a.replace("\\", "\\\\").replace("\"", "\\\"") + '"');
            }
        }
        return String.join(" ", out);
    }

    /** The arguments of a line; an unclosed quote is an error naming where it opened. */
    public static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inArg = false;
        char quote = 0;
        int quoteAt = -1;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == '"') {
                if (c == '\\' && i + 1 < line.length() && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
                    cur.append(line.charAt(++i));
                } else if (c == '"') {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (inArg) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inArg = false;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                quoteAt = i;
                inArg = true;
            } else {
                cur.append(c);
                inArg = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("the quote at column " + (quoteAt + 1) + " is not closed");
        }
        if (inArg) {
            out.add(cur.toString());
        }
        return out;
    }
}
