package dev.agentdeck.transfer;

import dev.agentdeck.transfer.exports.CronCalendar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The timer's OnCalendar= values fire when cron would: systemd-analyze's own next elapses against cron's rules. */
class CronCalendarExportTest {
    private static final LocalDateTime BASE = LocalDateTime.of(2026, 1, 1, 0, 0);
    private static final int N = 40;
    private static final Pattern ELAPSE = Pattern.compile("(?:Next elapse|Iter\\. #\\d+): \\w+ (\\S+ \\S+) UTC");

    @Test
    void convertsListsRangesStepsAndNames() {
        assertEquals(List.of("Mon..Fri *-*-* 09..17:00,15,30,45:00"), CronCalendar.onCalendar("*/15 9-17 * * 1-5"));
        assertEquals(List.of("Sun *-*-* 00:00:00", "*-*-01,15 00:00:00"), CronCalendar.onCalendar("0 0 1,15 * 7"));
        assertEquals(List.of("*-01,07-01 12:00:00"), CronCalendar.onCalendar("0 12 1 JAN,jul *"));
        assertEquals(List.of("Sun *-*-* 00:00:00"), CronCalendar.onCalendar("@weekly"));
        assertThrows(IllegalArgumentException.class, () -> CronCalendar.onCalendar("@reboot"));
        assertThrows(IllegalArgumentException.class, () -> CronCalendar.onCalendar("0 0 * *"));
        assertThrows(IllegalArgumentException.class, () -> CronCalendar.onCalendar("0 25 * * *"));
        assertThrows(IllegalArgumentException.class, () -> CronCalendar.onCalendar("0 22-2 * * *"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"*/15 9-17 * * 1-5", "0 0 1,15 * 0", "30 2 * * 7", "5 4 */2 * *", "0 12 1 JAN,jul *",
            "10-40/10 * * * *", "@weekly", "0 0 13 * FRI", "59 23 31 * *", "7 */5 * 2-11/3 sat,sun", "0 9 1-7 * 1"})
    void systemdFiresWhenCronWould(String cron) throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed here");
        TreeSet<LocalDateTime> systemd = new TreeSet<>();
        for (String calendar : CronCalendar.onCalendar(cron)) {
            systemd.addAll(elapses(analyze, calendar));
        }
        List<LocalDateTime> expected = cronTimes(cron.startsWith("@") ? "0 0 * * 0" : cron);
        assertEquals(expected, new ArrayList<>(systemd).subList(0, N), cron + " -> " + CronCalendar.onCalendar(cron));
    }

    private static List<LocalDateTime> elapses(Path analyze, String calendar) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(analyze.toString(), "calendar", "--iterations=" + N,
                "--base-time=" + BASE.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")) + " UTC", calendar)
                .redirectErrorStream(true);
        pb.environment().put("TZ", "UTC");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        List<LocalDateTime> times = new ArrayList<>();
        Matcher m = ELAPSE.matcher(out);
        while (m.find()) {
            times.add(LocalDateTime.parse(m.group(1).replace(' ', 'T')));
        }
        assertEquals(N, times.size(), out);
        return times;
    }

    /** The first N minutes after BASE that cron (Vixie rules) fires at. */
    private static List<LocalDateTime> cronTimes(String cron) {
        String[] f = cron.split(" ");
        Set<Integer> min = field(f[0], 0, 59);
        Set<Integer> hour = field(f[1], 0, 23);
        Set<Integer> dom = field(f[2], 1, 31);
        Set<Integer> mon = field(f[3], 1, 12);
        Set<Integer> dow = field(f[4], 0, 7);
        if (dow.contains(7)) {
            dow.add(0);
        }
        boolean either = !f[2].startsWith("*") && !f[4].startsWith("*");
        List<LocalDateTime> out = new ArrayList<>();
        for (LocalDateTime t = BASE.plusMinutes(1); out.size() < N; t = t.plusMinutes(1)) {
            boolean d = dom.contains(t.getDayOfMonth());
            boolean w = dow.contains(t.getDayOfWeek().getValue() % 7);
            if (min.contains(t.getMinute()) && hour.contains(t.getHour()) && mon.contains(t.getMonthValue())
                    && (either ? d || w : d && w)) {
                out.add(t);
            }
        }
        return out;
    }

    private static Set<Integer> field(String text, int lo, int hi) {
        List<String> names = List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat", "jan", "feb", "mar", "apr",
                "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");
        Set<Integer> out = new HashSet<>();
        for (String part : text.toLowerCase().split(",")) {
            String[] rs = part.split("/");
            int step = rs.length > 1 ? Integer.parseInt(rs[1]) : 1;
            String[] ends = rs[0].equals("*") ? new String[]{"" + lo, "" + hi} : rs[0].split("-");
            int a = value(ends[0], names, hi);
            int b = ends.length > 1 ? value(ends[1], names, hi) : rs.length > 1 ? hi : a;
            for (int v = a; v <= b; v += step) {
                out.add(v);
            }
        }
        return out;
    }

    private static int value(String s, List<String> names, int hi) {
        int i = names.indexOf(s);
        return i < 0 ? Integer.parseInt(s) : hi == 7 ? i : i - 6;
    }
}
