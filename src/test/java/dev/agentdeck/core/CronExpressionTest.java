package dev.agentdeck.core;

import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CronExpressionTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static ZonedDateTime at(String localDateTime, ZoneId zone) {
        return java.time.LocalDateTime.parse(localDateTime).atZone(zone);
    }

    /** The next {@code n} firing times after {@code from}, as ISO offset date-times. */
    private static List<String> next(String expr, String from, ZoneId zone, int n) {
        CronExpression c = CronExpression.parse(expr);
        List<String> out = new ArrayList<>();
        ZonedDateTime t = at(from, zone);
        for (int i = 0; i < n; i++) {
            t = c.next(t);
            out.add(t.toOffsetDateTime().toString());
        }
        return out;
    }

    private static String bad(String expr) {
        return assertThrows(IllegalArgumentException.class, () -> CronExpression.parse(expr)).getMessage();
    }

    @Test
    void plainFieldsAndStrictlyAfter() {
        assertEquals(List.of("2024-05-10T14:30Z", "2024-05-11T14:30Z"), next("30 14 * * *", "2024-05-10T14:29:59", UTC, 2));
        // exactly at a firing time: the next one, never the same
        assertEquals(List.of("2024-05-11T14:30Z"), next("30 14 * * *", "2024-05-10T14:30", UTC, 1));
        assertEquals(List.of("2024-05-10T14:31Z", "2024-05-10T14:32Z"), next("* * * * *", "2024-05-10T14:30:15", UTC, 2));
    }

    @Test
    void stepsListsAndRanges() {
        assertEquals(List.of("2024-05-10T10:05Z", "2024-05-10T10:10Z", "2024-05-10T10:15Z"),
                next("*/5 * * * *", "2024-05-10T10:01", UTC, 3));
        assertEquals(List.of("2024-05-10T01:00Z", "2024-05-10T03:00Z", "2024-05-10T05:00Z", "2024-05-10T07:00Z",
                "2024-05-10T09:00Z", "2024-05-11T01:00Z"), next("0 1-10/2 * * *", "2024-05-10T00:00", UTC, 6));
        assertEquals(List.of("2024-05-10T10:00Z", "2024-05-10T10:15Z", "2024-05-10T10:45Z", "2024-05-10T11:00Z"),
                next("0,15,45 * * * *", "2024-05-10T09:50", UTC, 4));
        // a/step runs from a to the end of the field
        assertEquals(List.of("2024-05-10T10:50Z", "2024-05-10T11:05Z"), next("5/15 * * * *", "2024-05-10T10:40", UTC, 2));
        assertEquals(List.of("2024-05-10T10:20Z", "2024-05-10T10:40Z", "2024-05-10T11:03Z"),
                next("3,20-40/20 * * * *", "2024-05-10T10:10", UTC, 3));
    }

    @Test
    void monthAndDayNamesAndSundayAsSeven() {
        // 2024-05-10 is a Friday
        assertEquals(List.of("2024-05-13T09:00Z", "2024-05-15T09:00Z", "2024-05-17T09:00Z"),
                next("0 9 * * mon,WED,Fri", "2024-05-10T12:00", UTC, 3));
        assertEquals(List.of("2024-05-12T00:00Z", "2024-05-19T00:00Z"), next("0 0 * * 7", "2024-05-10T00:00", UTC, 2));
        assertEquals(List.of("2024-05-12T00:00Z", "2024-05-19T00:00Z"), next("0 0 * * 0", "2024-05-10T00:00", UTC, 2));
        assertEquals(List.of("2024-05-11T00:00Z", "2024-05-12T00:00Z", "2024-05-18T00:00Z"),
                next("0 0 * * 6-7", "2024-05-10T00:00", UTC, 3));
        assertEquals(List.of("2024-05-11T00:00Z", "2024-05-12T00:00Z", "2024-05-18T00:00Z"),
                next("0 0 * * SAT-7", "2024-05-10T00:00", UTC, 3));
        assertEquals(List.of("2024-06-01T00:00Z", "2024-08-01T00:00Z", "2025-06-01T00:00Z"),
                next("0 0 1 JUN,aug * ", "2024-05-10T00:00", UTC, 3));
        assertEquals(List.of("2024-11-01T00:00Z", "2024-12-01T00:00Z", "2025-01-01T00:00Z", "2025-11-01T00:00Z"),
                next("0 0 1 NOV-DEC,jan *", "2024-05-10T00:00", UTC, 4));
    }

    @Test
    void macros() {
        assertEquals(List.of("2024-05-10T13:00Z"), next("@hourly", "2024-05-10T12:00", UTC, 1));
        assertEquals(List.of("2024-05-11T00:00Z"), next("@daily", "2024-05-10T12:00", UTC, 1));
        assertEquals(List.of("2024-05-11T00:00Z"), next("@midnight", "2024-05-10T12:00", UTC, 1));
        assertEquals(List.of("2024-05-12T00:00Z"), next("@weekly", "2024-05-10T12:00", UTC, 1));
        assertEquals(List.of("2024-06-01T00:00Z"), next("@monthly", "2024-05-10T12:00", UTC, 1));
        assertEquals(List.of("2025-01-01T00:00Z"), next("@yearly", "2024-05-10T12:00", UTC, 1));
        assertEquals(List.of("2025-01-01T00:00Z"), next("@ANNUALLY", "2024-05-10T12:00", UTC, 1));
        assertEquals("@daily", CronExpression.parse(" @daily ").toString());
        assertEquals("*/5 * * * *", CronExpression.parse("*/5 * * * *").toString());
    }

    @Test
    void dayOfMonthOrDayOfWeekWhenBothAreRestricted() {
        // the 13th or any Friday (2024-05-10 is a Friday, 2024-05-13 a Monday)
        assertEquals(List.of("2024-05-10T00:00Z", "2024-05-13T00:00Z", "2024-05-17T00:00Z"),
                next("0 0 13 * FRI", "2024-05-09T12:00", UTC, 3));
        // a day-of-week starting with * does not count as restricted: the 13th that is a Sunday or a Friday
        assertEquals(List.of("2024-09-13T00:00Z", "2024-10-13T00:00Z", "2024-12-13T00:00Z"),
                next("0 0 13 * */5", "2024-05-09T12:00", UTC, 3));
    }

    @Test
    void acrossMonthAndYearEndsAndLeapDays() {
        assertEquals(List.of("2024-01-31T00:00Z", "2024-03-31T00:00Z", "2024-05-31T00:00Z"),
                next("0 0 31 * *", "2024-01-01T00:00", UTC, 3));
        assertEquals(List.of("2024-12-31T23:59Z", "2025-12-31T23:59Z"), next("59 23 31 12 *", "2024-12-31T23:58", UTC, 2));
        assertEquals(List.of("2025-01-01T00:00Z"), next("0 0 * * *", "2024-12-31T23:59:59", UTC, 1));
        assertEquals(List.of("2024-02-29T12:00Z", "2028-02-29T12:00Z", "2032-02-29T12:00Z"),
                next("0 12 29 2 *", "2023-03-01T00:00", UTC, 3));
        // 2100 is no leap year
        assertEquals(List.of("2096-02-29T00:00Z", "2104-02-29T00:00Z"), next("0 0 29 feb *", "2095-01-01T00:00", UTC, 2));
        assertEquals(List.of("2024-03-01T00:00Z"), next("0 0 1 * *", "2024-02-29T23:59", UTC, 1));
    }

    @Test
    void aTimeInTheSpringGapFiresOnceWhenTheGapEnds() {
        // Europe/Berlin 2024-03-31: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist
        assertEquals(List.of("2024-03-30T02:30+01:00", "2024-03-31T03:00+02:00", "2024-04-01T02:30+02:00"),
                next("30 2 * * *", "2024-03-30T00:00", BERLIN, 3));
        // several skipped times collapse into that one firing, which 03:00 itself matching does not repeat
        assertEquals(List.of("2024-03-31T01:45+01:00", "2024-03-31T03:00+02:00", "2024-03-31T03:15+02:00"),
                next("*/15 1-3 * * *", "2024-03-31T01:30", BERLIN, 3));
        // an every-hour expression follows elapsed time: the hour that did not happen is not made up
        assertEquals(List.of("2024-03-31T01:30+01:00", "2024-03-31T03:30+02:00"), next("30 * * * *", "2024-03-31T01:00", BERLIN, 2));
    }

    @Test
    void aRepeatedAutumnHourFiresFixedTimesOnceAndHourlyTimesTwice() {
        // Europe/Berlin 2024-10-27: 03:00 CEST falls back to 02:00 CET; 02:00-02:59 happens twice
        assertEquals(List.of("2024-10-27T02:30+02:00", "2024-10-28T02:30+01:00"), next("30 2 * * *", "2024-10-27T00:00", BERLIN, 2));
        assertEquals(List.of("2024-10-27T01:30+02:00", "2024-10-27T02:30+02:00", "2024-10-27T02:30+01:00",
                "2024-10-27T03:30+01:00"), next("30 * * * *", "2024-10-27T01:00", BERLIN, 4));
        // from late in the first pass, an hourly expression still gets the second pass
        ZonedDateTime firstPass = ZonedDateTime.ofLocal(java.time.LocalDateTime.parse("2024-10-27T02:45"), BERLIN,
                java.time.ZoneOffset.ofHours(2));
        assertEquals("2024-10-27T02:30+01:00",
                CronExpression.parse("30 * * * *").next(firstPass).toOffsetDateTime().toString());
        assertEquals("2024-10-28T02:30+01:00",
                CronExpression.parse("30 2 * * *").next(firstPass).toOffsetDateTime().toString());
        // from the second pass, a fixed time is not fired again
        ZonedDateTime secondPass = firstPass.withLaterOffsetAtOverlap().minusMinutes(30);
        assertEquals("2024-10-28T02:30+01:00",
                CronExpression.parse("30 2 * * *").next(secondPass).toOffsetDateTime().toString());
    }

    @Test
    void badExpressionsNameTheFieldAndThePart() {
        assertEquals("minute field \"61\": must be 0-59", bad("61 * * * *"));
        assertEquals("minute field \"1,61\": 61 must be 0-59", bad("1,61 * * * *"));
        assertEquals("hour field \"24\": must be 0-23", bad("0 24 * * *"));
        assertEquals("day-of-month field \"0\": must be 1-31", bad("0 0 0 * *"));
        assertEquals("month field \"13\": must be 1-12", bad("0 0 1 13 *"));
        assertEquals("month field \"FOO\": \"FOO\" is not a number or month name", bad("0 0 1 FOO *"));
        assertEquals("day-of-week field \"MON-FUN\": \"FUN\" is not a number or day name", bad("0 0 * * MON-FUN"));
        assertEquals("day-of-week field \"8\": must be 0-7", bad("0 0 * * 8"));
        assertEquals("minute field \"*/0\": step 0 must be at least 1", bad("*/0 * * * *"));
        assertEquals("minute field \"*/x\": \"x\" is not a step", bad("*/x * * * *"));
        assertEquals("hour field \"10-2\": range 10-2 ends before it starts", bad("0 10-2 * * *"));
        assertEquals("minute field \"1,,2\": has an empty list entry", bad("1,,2 * * * *"));
        assertEquals("minute field \"-5\": \"-5\" is not a number", bad("-5 * * * *"));
        assertEquals("day-of-month field \"30\": never occurs in the months chosen", bad("0 0 30 2 *"));
        assertTrue(bad("* * * *").startsWith("has 4 field(s) in \"* * * *\": expected 5"), bad("* * * *"));
        assertTrue(bad("@reboot").contains("not a known macro"), bad("@reboot"));
        assertTrue(bad("  ").startsWith("is empty"));
        // a 30th with a restricted weekday is fine: either may match
        CronExpression.parse("0 0 30 2 MON");
    }

    @Test
    void theValidatorReportsABadScheduleUnderItsField() {
        AgentSpec spec = AgentSpec.builder("job").command("true").schedule("0 25 * * *").build();
        assertEquals(List.of("agents[0] \"job\": schedule: hour field \"25\": must be 0-23"),
                SpecValidator.validate(List.of(spec)).stream().map(Problem::toString).toList());
        assertEquals(List.of(), SpecValidator.validate(List.of(spec.toBuilder().schedule("@daily").build())));
    }
}
