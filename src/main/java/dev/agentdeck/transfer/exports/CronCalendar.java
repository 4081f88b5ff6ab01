package dev.agentdeck.transfer.exports;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.IntFunction;

/**
 * Converts a 5-field cron expression (minute hour day-of-month month day-of-week, with lists, ranges, steps,
 * month and day names, and the {@code @daily}-style macros) to systemd {@code OnCalendar=} values that fire at
 * exactly the same times. Cron fires when day-of-month OR day-of-week matches if both are restricted, where
 * systemd ANDs them; that case becomes two values (a timer fires on any of its OnCalendar= lines).
 */
public final class CronCalendar {
    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG",
            "SEP", "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    private static final List<String> SYSTEMD_DAYS = List.of("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat");

    private CronCalendar() {
    }

    /** The OnCalendar= values, or throws {@link IllegalArgumentException} saying why there is no exact form. */
    public static List<String> onCalendar(String cron) {
        String expr = cron.trim();
        if (expr.startsWith("@")) {
            expr = MACROS.get(expr.toLowerCase(Locale.ROOT));
            if (expr == null) {
                throw new IllegalArgumentException("\"" + cron.trim() + "\" has no calendar form");
            }
        }
        String[] f = expr.split("\\s+");
        if (f.length != 5) {
            throw new IllegalArgumentException("\"" + cron + "\" is not a 5-field cron expression");
        }
        String minutes = list(values(f[0], 0, 59, List.of(), 0), 60);
        String hours = list(values(f[1], 0, 23, List.of(), 0), 24);
        TreeSet<Integer> dom = values(f[2], 1, 31, List.of(), 1);
        String months = list(values(f[3], 1, 12, MONTHS, 1), 12);
        TreeSet<Integer> dow = values(f[4], 0, 7, DAYS, 0);
        if (dow.remove(7)) {
            dow.add(0);
        }
        String time = hours + ":" + minutes + ":00";
        boolean domStar = f[2].startsWith("*");
        boolean dowStar = f[4].startsWith("*");
        if (!domStar && !dowStar) {
            return List.of(weekdays(dow) + "*-" + months + "-* " + time, "*-" + months + "-" + list(dom, 31) + " " + time);
        }
        return List.of(weekdays(dow) + "*-" + months + "-" + list(dom, 31) + " " + time);
    }

    private static TreeSet<Integer> values(String field, int min, int max, List<String> names, int nameBase) {
        TreeSet<Integer> out = new TreeSet<>();
        for (String part : field.split(",", -1)) {
            int slash = part.indexOf('/');
            String range = slash < 0 ? part : part.substring(0, slash);
            int step = slash < 0 ? 1 : number(part.substring(slash + 1), 1, max, List.of(), 0, field);
            int lo;
            int hi;
            if (range.equals("*")) {
                lo = min;
                hi = max == 7 ? 6 : max;
            } else if (range.contains("-")) {
                String[] ends = range.split("-", 2);
                lo = number(ends[0], min, max, names, nameBase, field);
                hi = number(ends[1], min, max, names, nameBase, field);
            } else {
                lo = number(range, min, max, names, nameBase, field);
                hi = slash < 0 ? lo : (max == 7 ? 6 : max);
            }
            if (lo > hi) {
                throw new IllegalArgumentException("range \"" + range + "\" in \"" + field + "\" wraps around");
            }
            for (int v = lo; v <= hi; v += step) {
                out.add(v);
            }
        }
        return out;
    }

    private static int number(String text, int min, int max, List<String> names, int nameBase, String field) {
        int i = names.indexOf(text.toUpperCase(Locale.ROOT));
        if (i >= 0) {
            return i + nameBase;
        }
        try {
            int v = Integer.parseInt(text);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // falls through to the message
        }
        throw new IllegalArgumentException("\"" + text + "\" in \"" + field + "\" is not a value from " + min
                + " to " + max);
    }

    /** {@code *} for the whole range, else values and {@code a..b} runs, zero-padded to two digits. */
    private static String list(TreeSet<Integer> values, int full) {
        return values.size() == full ? "*" : String.join(",", runs(values, v -> String.format(Locale.ROOT, "%02d", v)));
    }

    private static List<String> runs(TreeSet<Integer> values, IntFunction<String> name) {
        List<String> out = new ArrayList<>();
        List<Integer> v = new ArrayList<>(values);
        for (int i = 0; i < v.size(); ) {
            int j = i;
            while (j + 1 < v.size() && v.get(j + 1) == v.get(j) + 1) {
                j++;
            }
            out.add(j - i >= 2 ? name.apply(v.get(i)) + ".." + name.apply(v.get(j))
                    : j > i ? name.apply(v.get(i)) + "," + name.apply(v.get(j)) : name.apply(v.get(i)));
            i = j + 1;
        }
        return out;
    }

    private static String weekdays(TreeSet<Integer> dow) {
        if (dow.size() == 7) {
            return "";
        }
        return String.join(",", runs(dow, SYSTEMD_DAYS::get)) + " ";
    }
}
