package dev.agentdeck.core;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A standard five-field cron expression ({@code minute hour day-of-month month day-of-week}) with {@code *},
 * lists, ranges, steps ({@code *}{@code /5}, {@code 1-10/2}, {@code 5/15} = from 5 to the end), month and day
 * names ({@code JAN}, {@code MON}), day-of-week 0 or 7 for Sunday, and the macros {@code @hourly @daily
 * @midnight @weekly @monthly @yearly @annually}. When both day fields are restricted (neither starts with
 * {@code *}), a day matches if either does, as in Vixie cron.
 * <p>
 * Daylight saving time, as Vixie cron handles it: an expression whose hour field names every hour follows
 * elapsed time (a wall time skipped by a gap did not happen and is not made up; a repeated hour fires twice).
 * One with a restricted hour follows the wall clock: a time skipped by a gap fires once when the gap ends
 * (several skipped times collapse into that one firing), and a repeated time fires only at its first
 * occurrence. So nothing fires twice for the same intended run, and nothing is lost silently.
 */
public final class CronExpression {
    private static final String[] FIELDS = {"minute", "hour", "day-of-month", "month", "day-of-week"};
    private static final int[] MIN = {0, 0, 1, 1, 0};
    private static final int[] MAX = {59, 23, 31, 12, 7};
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP",
            "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    private static final Map<String, String> MACROS = Map.of("@hourly", "0 * * * *", "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *", "@weekly", "0 0 * * 0", "@monthly", "0 0 1 * *", "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *");
    private static final int[] DAYS_IN_MONTH = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    /** Longer than any wait for a satisfiable expression (Feb 29 on a given weekday recurs within 28 years). */
    private static final int MAX_YEARS = 30;

    private final String source;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean eitherDay;
    private final boolean everyHour;

    private CronExpression(String source, BitSet[] fields, boolean eitherDay) {
        this.source = source;
        this.minutes = fields[0];
        this.hours = fields[1];
        this.daysOfMonth = fields[2];
        this.months = fields[3];
        this.daysOfWeek = fields[4];
        this.eitherDay = eitherDay;
        this.everyHour = hours.cardinality() == 24;
    }

    /** Parses an expression; the exception's message names the field and the part that is wrong. */
    public static CronExpression parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("is empty: expected 5 fields (minute hour day-of-month month day-of-week)"
                    + " or a macro like @daily");
        }
        String text = expression.trim();
        String expanded = text;
        if (text.startsWith("@")) {
            expanded = MACROS.get(text.toLowerCase(Locale.ROOT));
            if (expanded == null) {
                throw new IllegalArgumentException("\"" + SpecValidator.printable(text) + "\" is not a known macro; use one of"
                        + " @hourly @daily @midnight @weekly @monthly @yearly @annually");
            }
        }
        String[] parts = expanded.split("\\s+");
        if (parts.length != 5) {
            throw new IllegalArgumentException("has " + parts.length + " field(s) in \"" + SpecValidator.printable(text)
                    + "\": expected 5 (minute hour day-of-month month day-of-week) or a macro like @daily");
        }
        BitSet[] fields = new BitSet[5];
        for (int f = 0; f < 5; f++) {
            fields[f] = parseField(f, parts[f]);
        }
        if (fields[4].get(7)) {
            fields[4].clear(7);
            fields[4].set(0);
        }
        boolean eitherDay = !parts[2].startsWith("*") && !parts[4].startsWith("*");
        if (parts[4].startsWith("*")) {
            checkDayExists(parts[2], fields[2], fields[3]);
        }
        return new CronExpression(text, fields, eitherDay);
    }

    /** What is wrong with {@code expression}, or empty when it parses (or is null: no schedule). */
    public static java.util.Optional<String> problem(String expression) {
        if (expression == null) {
            return java.util.Optional.empty();
        }
        try {
            parse(expression);
            return java.util.Optional.empty();
        } catch (IllegalArgumentException e) {
            return java.util.Optional.of(e.getMessage());
        }
    }

    private static BitSet parseField(int f, String field) {
        BitSet set = new BitSet();
        for (String item : field.split(",", -1)) {
            if (item.isEmpty()) {
                throw bad(f, field, "has an empty list entry");
            }
            int slash = item.indexOf('/');
            String range = slash < 0 ? item : item.substring(0, slash);
            int step = 1;
            if (slash >= 0) {
                step = number(f, field, item.substring(slash + 1), "step");
                if (step < 1) {
                    throw bad(f, field, "step " + step + " must be at least 1");
                }
            }
            int lo;
            int hi;
            if (range.equals("*")) {
                lo = MIN[f];
                hi = f == 4 ? 6 : MAX[f];
            } else {
                int dash = range.indexOf('-', 1);
                lo = value(f, field, dash < 0 ? range : range.substring(0, dash));
                hi = dash >= 0 ? value(f, field, range.substring(dash + 1)) : slash >= 0 ? (f == 4 ? 6 : MAX[f]) : lo;
                if (hi < lo) {
                    throw bad(f, field, "range " + range + " ends before it starts");
                }
            }
            for (int v = lo; v <= hi; v += step) {
                set.set(v);
            }
        }
        return set;
    }

    private static int value(int f, String field, String part) {
        List<String> names = f == 3 ? MONTHS : f == 4 ? DAYS : List.of();
        int named = names.indexOf(part.toUpperCase(Locale.ROOT));
        if (named >= 0) {
            return f == 3 ? named + 1 : named;
        }
        int v = number(f, field, part, f == 3 ? "number or month name" : f == 4 ? "number or day name" : "number");
        if (v < MIN[f] || v > MAX[f]) {
            throw bad(f, field, (part.equals(field) ? "" : part + " ") + "must be " + MIN[f] + "-" + MAX[f]);
        }
        return v;
    }

    private static int number(int f, String field, String part, String what) {
        if (part.isEmpty() || part.length() > 9 || !part.chars().allMatch(Character::isDigit)) {
            throw bad(f, field, "\"" + SpecValidator.printable(part) + "\" is not a " + what);
        }
        return Integer.parseInt(part);
    }

    /** With an unrestricted day-of-week the day-of-month alone decides, so it must exist in a chosen month. */
    private static void checkDayExists(String field, BitSet doms, BitSet months) {
        for (int m = months.nextSetBit(1); m >= 0; m = months.nextSetBit(m + 1)) {
            if (doms.nextSetBit(1) <= DAYS_IN_MONTH[m - 1]) {
                return;
            }
        }
        throw bad(2, field, "never occurs in the months chosen");
    }

    private static IllegalArgumentException bad(int f, String field, String why) {
        return new IllegalArgumentException(FIELDS[f] + " field \"" + SpecValidator.printable(field) + "\": " + why);
    }

    /** The first time this expression names strictly after {@code after}, in {@code after}'s zone (see the DST rules above). */
    public ZonedDateTime next(ZonedDateTime after) {
        var rules = after.getZone().getRules();
        LocalDateTime start = after.toLocalDateTime().truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        if (everyHour && rules.getValidOffsets(after.toLocalDateTime()).size() == 2
                && after.getOffset().equals(rules.getValidOffsets(after.toLocalDateTime()).get(0))) {
            // in the first pass of a repeated hour: what remains of it, then the whole second pass
            ZoneOffsetTransition overlap = rules.getTransition(after.toLocalDateTime());
            LocalDateTime t = firstMatch(start, overlap.getDateTimeBefore());
            if (t != null) {
                return ZonedDateTime.ofLocal(t, after.getZone(), overlap.getOffsetBefore());
            }
            t = firstMatch(overlap.getDateTimeAfter(), overlap.getDateTimeBefore());
            if (t != null) {
                return ZonedDateTime.ofStrict(t, overlap.getOffsetAfter(), after.getZone());
            }
            start = overlap.getDateTimeBefore();
        }
        LocalDateTime limit = start.plusYears(MAX_YEARS);
        for (LocalDateTime t = firstMatch(start, limit); t != null; t = firstMatch(t.plusMinutes(1), limit)) {
            ZonedDateTime at = resolve(t, after);
            if (at != null) {
                return at;
            }
        }
        throw new IllegalStateException("\"" + source + "\" names no time within " + MAX_YEARS + " years");
    }

    /** The instant wall time {@code t} fires at, or null when it does not fire after {@code after}. */
    private ZonedDateTime resolve(LocalDateTime t, ZonedDateTime after) {
        var zone = after.getZone();
        var offsets = zone.getRules().getValidOffsets(t);
        if (offsets.isEmpty()) {
            if (everyHour) {
                return null;
            }
            ZonedDateTime gapEnd = ZonedDateTime.ofInstant(zone.getRules().getTransition(t).getInstant(), zone);
            return gapEnd.isAfter(after) ? gapEnd : null;
        }
        ZonedDateTime first = ZonedDateTime.ofLocal(t, zone, offsets.get(0)).withEarlierOffsetAtOverlap();
        if (first.isAfter(after)) {
            return first;
        }
        ZonedDateTime second = first.withLaterOffsetAtOverlap();
        return everyHour && second.isAfter(after) ? second : null;
    }

    /** The first matching wall time in [{@code from}, {@code until}), or null. */
    private LocalDateTime firstMatch(LocalDateTime from, LocalDateTime until) {
        LocalDateTime t = from;
        while (t.isBefore(until)) {
            if (!months.get(t.getMonthValue())) {
                t = LocalDateTime.of(t.toLocalDate().withDayOfMonth(1).plusMonths(1), LocalTime.MIDNIGHT);
            } else if (!dayMatches(t.toLocalDate())) {
                t = LocalDateTime.of(t.toLocalDate().plusDays(1), LocalTime.MIDNIGHT);
            } else if (!hours.get(t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            } else if (!minutes.get(t.getMinute())) {
                int m = minutes.nextSetBit(t.getMinute());
                t = m < 0 ? t.truncatedTo(ChronoUnit.HOURS).plusHours(1) : t.withMinute(m);
            } else {
                return t;
            }
        }
        return null;
    }

    private boolean dayMatches(LocalDate d) {
        boolean dom = daysOfMonth.get(d.getDayOfMonth());
        boolean dow = daysOfWeek.get(d.getDayOfWeek().getValue() % 7);
        return eitherDay ? dom || dow : dom && dow;
    }

    /** The expression as written (trimmed). */
    @Override
    public String toString() {
        return source;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CronExpression c && c.source.equals(source);
    }

    @Override
    public int hashCode() {
        return source.hashCode();
    }
}
