package dev.agentdeck.transfer.imports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * supervisord's {@code environment=} value, {@code KEY="val",KEY2=val2}, split as its
 * {@code dict_of_key_value_pairs} does: Python's non-POSIX {@code shlex} with {@code /.+-():} as word characters,
 * quotes kept around a token and then stripped from the value's ends.
 */
final class KeyValuePairs {
    private static final String WORD_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_/.+-():";

    private KeyValuePairs() {
    }

    static Map<String, String> parse(String text) {
        List<String> tokens = tokens(text);
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < tokens.size(); i += 4) {
            if (i + 2 >= tokens.size() || !tokens.get(i + 1).equals("=")) {
                throw new IllegalArgumentException("it is not KEY=value pairs separated by commas (quote values"
                        + " with other characters than letters, digits and _/.+-():)");
            }
            out.put(tokens.get(i), strip(tokens.get(i + 2)));
        }
        return out;
    }

    private static String strip(String v) {
        int start = 0;
        int end = v.length();
        while (start < end && (v.charAt(start) == '"' || v.charAt(start) == '\'')) {
            start++;
        }
        while (end > start && (v.charAt(end - 1) == '"' || v.charAt(end - 1) == '\'')) {
            end--;
        }
        return v.substring(start, end);
    }

    private static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#') {
                int nl = text.indexOf('\n', i);
                i = nl < 0 ? text.length() : nl + 1;
            } else if (c == '"' || c == '\'') {
                int close = text.indexOf(c, i + 1);
                if (close < 0) {
                    throw new IllegalArgumentException("a quote is not closed");
                }
                tokens.add(text.substring(i, close + 1));
                i = close + 1;
            } else if (WORD_CHARS.indexOf(c) >= 0) {
                int start = i;
                while (i < text.length() && (WORD_CHARS.indexOf(text.charAt(i)) >= 0 || text.charAt(i) == '"'
                        || text.charAt(i) == '\'')) {
                    i++;
                }
                tokens.add(text.substring(start, i));
            } else {
                tokens.add(String.valueOf(c));
                i++;
            }
        }
        return tokens;
    }
}
