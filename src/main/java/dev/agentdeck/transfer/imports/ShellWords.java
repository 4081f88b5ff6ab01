package dev.agentdeck.transfer.imports;

import java.util.ArrayList;
import java.util.List;

/** Splitting a command line into words as Python's {@code shlex.split} does (POSIX rules, no comments, no shell). */
final class ShellWords {
    private static final String SHELL_CHARS = "$|&;<>()`\\\"'*?[]#~{}\n\r";

    private ShellWords() {
    }

    /** The words of {@code text}; quotes and backslashes are removed as a POSIX shell would, nothing is expanded. */
    static List<String> split(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
                continue;
            }
            inWord = true;
            if (c == '\'' || c == '"') {
                i = quoted(text, i, word);
            } else if (c == '\\') {
                if (i + 1 >= text.length()) {
                    throw new IllegalArgumentException("it ends with a backslash that escapes nothing");
                }
                word.append(text.charAt(i + 1));
                i += 2;
            } else {
                word.append(c);
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** Appends the quoted part starting at {@code open}; returns the index after its closing quote. */
    private static int quoted(String text, int open, StringBuilder word) {
        char quote = text.charAt(open);
        for (int i = open + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == quote) {
                return i + 1;
            }
            // Inside double quotes a backslash escapes only '"' and itself, as in shlex's POSIX mode.
            if (quote == '"' && c == '\\' && i + 1 < text.length() && (text.charAt(i + 1) == '"'
                    || text.charAt(i + 1) == '\\')) {
                c = text.charAt(++i);
            }
            word.append(c);
        }
        throw new IllegalArgumentException("a " + (quote == '"' ? "double" : "single") + " quote is not closed");
    }

    /** Whether running {@code command} needs a shell: it uses quoting, variables, pipes, globs or assignments. */
    static boolean needsShell(String command) {
        for (int i = 0; i < command.length(); i++) {
            if (SHELL_CHARS.indexOf(command.charAt(i)) >= 0) {
                return true;
            }
        }
        String first = command.strip().split("[ \t]+", 2)[0];
        return first.contains("=");
    }
}
