package dev.agentdeck.logs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Orders lines read back from several files (stdout and stderr, or several agents) into one list. The files
 * carry no arrival times, so when every part's lines start with a timestamp of the same kind (a date and
 * time, or a time of day) the parts are merged by it, stably; a line without one keeps its place after the
 * line before it. Otherwise the parts follow one another.
 */
public final class BacklogOrder {
    /** An ISO-like date and time, or a time of day, near the start of a line (or in a JSON time field). */
    private static final Pattern STAMP = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2})?[T ]?(\\d{2}:\\d{2}:\\d{2})(?:[.,](\\d{1,9}))?");
    private static final int SEARCH_CHARS = 64;

    private BacklogOrder() {
    }

    /** The parts' lines in one list, by timestamp when every part has them, else part after part. */
    public static List<LogLine> merge(List<List<LogLine>> parts) {
        List<List<LogLine>> nonEmpty = parts.stream().filter(p -> !p.isEmpty()).toList();
        if (nonEmpty.size() <= 1) {
            return nonEmpty.isEmpty() ? List.of() : List.copyOf(nonEmpty.get(0));
        }
        List<String[]> keys = new ArrayList<>();
        Boolean dated = null;
        for (List<LogLine> part : nonEmpty) {
            String[] k = new String[part.size()];
            String last = null;
            for (int i = 0; i < part.size(); i++) {
                String key = key(part.get(i).text());
                if (key != null) {
                    boolean hasDate = key.length() > 18;
                    if (dated == null) {
                        dated = hasDate;
                    } else if (dated != hasDate) {
                        return concat(nonEmpty);
                    }
                    last = key;
                }
                k[i] = last;
            }
            if (last == null) {
                return concat(nonEmpty);
            }
            // lines before the part's first stamp sort with it
            String first = null;
            for (String s : k) {
                if (s != null) {
                    first = s;
                    break;
                }
            }
            for (int i = 0; i < k.length && k[i] == null; i++) {
                k[i] = first;
            }
            keys.add(k);
        }
        List<LogLine> out = new ArrayList<>();
        int[] at = new int[nonEmpty.size()];
        while (true) {
            int best = -1;
            for (int p = 0; p < nonEmpty.size(); p++) {
                if (at[p] < nonEmpty.get(p).size()
                        && (best < 0 || keys.get(p)[at[p]].compareTo(keys.get(best)[at[best]]) < 0)) {
                    best = p;
                }
            }
            if (best < 0) {
                return out;
            }
            out.add(nonEmpty.get(best).get(at[best]++));
        }
    }

    private static List<LogLine> concat(List<List<LogLine>> parts) {
        List<LogLine> out = new ArrayList<>();
        parts.forEach(out::addAll);
        return out;
    }

    /** A sortable key for the line's timestamp ("date time.fraction" or "time.fraction"), or null. */
    static String key(String text) {
        Matcher m = STAMP.matcher(text.length() > SEARCH_CHARS ? text.substring(0, SEARCH_CHARS) : text);
        if (!m.find()) {
            return null;
        }
        String fraction = m.group(3) == null ? "" : m.group(3);
        String time = m.group(2) + "." + (fraction + "000000000").substring(0, 9);
        return m.group(1) == null ? time : m.group(1) + " " + time;
    }
}
