package dev.agentdeck.process;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The words and details of stop events: which processes went, by PID and program name. */
final class StopMessages {
    private static final int LISTED = 10;

    private StopMessages() {
    }

    /** "PID 1234 (sleep), PID 1235 (sh)", the first ten and how many more. */
    static String describe(List<StopReport.Escaped> processes) {
        List<String> named = processes.stream().limit(LISTED).map(StopReport.Escaped::describe).toList();
        return String.join(", ", named) + (processes.size() > LISTED ? " and " + (processes.size() - LISTED) + " more" : "");
    }

    /** "stopped 2 processes the agent left behind: PID 1234 (sleep), PID 1235 (sh) (KILL after the stop timeout)". */
    static String leftovers(StopReport report) {
        int n = report.seen().isEmpty() ? report.processes() : report.seen().size();
        return "stopped " + n + (n == 1 ? " process" : " processes") + " the agent left behind"
                + (report.seen().isEmpty() ? "" : ": " + describe(report.seen()))
                + (report.escalated() ? " (KILL after the stop timeout)" : "");
    }

    /** {"pids": [...], "processes": [{"pid", "name", "survived"}], "escalated": bool} for a leftover event. */
    static Map<String, Object> leftoverDetails(StopReport report) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("pids", report.seen().stream().map(StopReport.Escaped::pid).toList());
        details.put("processes", report.seen().stream().map(e -> process(e, report)).toList());
        details.put("escalated", report.escalated());
        if (!report.escaped().isEmpty()) {
            details.put("escaped", escapedDetails(report));
        }
        return details;
    }

    /** "stopped 1 process that had left the tree: PID 1234 (sleep)". */
    static String leftTree(List<StopReport.Escaped> escaped) {
        return "stopped " + escaped.size() + (escaped.size() == 1 ? " process that had" : " processes that had")
                + " left the tree: " + describe(escaped);
    }

    /** The escaped processes for an event's details: [{"pid": 1234, "name": "sleep", "survived": false}]. */
    static List<Map<String, Object>> escapedDetails(StopReport report) {
        return report.escaped().stream().map(e -> process(e, report)).toList();
    }

    private static Map<String, Object> process(StopReport.Escaped e, StopReport report) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pid", e.pid());
        m.put("name", e.name());
        m.put("survived", report.survivors().contains(e.pid()));
        return m;
    }
}
