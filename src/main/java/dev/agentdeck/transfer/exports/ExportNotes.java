package dev.agentdeck.transfer.exports;

import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.LimitAction;
import dev.agentdeck.core.RestartPolicy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an export could not carry over, per agent ({@code field: reason}), and the header comment that lists it
 * at the top of every exported file.
 */
public final class ExportNotes {
    private final Map<String, List<String>> byAgent = new LinkedHashMap<>();

    /** Makes sure the agent is listed even when everything mapped. */
    public void agent(String id) {
        byAgent.computeIfAbsent(id, k -> new ArrayList<>());
    }

    public void add(String id, String field, String reason) {
        byAgent.computeIfAbsent(id, k -> new ArrayList<>()).add(field + ": " + reason);
    }

    public List<String> of(String id) {
        return List.copyOf(byAgent.getOrDefault(id, List.of()));
    }

    /** The notes every format shares: settings no manager here understands the AgentDeck way. */
    public void common(AgentSpec a, String manager) {
        String id = a.id();
        if (a.readyLogLine() != null) {
            add(id, "readyLogLine", manager + " cannot wait for a log line; dependents wait for the start only");
        }
        if (!a.watch().isEmpty()) {
            add(id, "watch", manager + " does not restart on file changes (" + String.join(", ", a.watch()) + ")");
        }
        if (a.resources().memoryMb() != null && a.resources().memoryAction() == LimitAction.WARN) {
            add(id, "resources.memoryMb", "AgentDeck only warns above " + a.resources().memoryMb()
                    + " MB; a hard limit would kill the agent, so none is set");
        }
        if (a.resources().cpuPercent() != null) {
            add(id, "resources.cpuPercent", "AgentDeck only warns above " + a.resources().cpuPercent()
                    + " %; here it becomes a hard CPU cap (the agent is throttled)");
        }
        if (a.daemon() != null && !manager.equals("systemd")) {
            add(id, "daemon", manager + " expects the program to stay in the foreground; start it without its"
                    + " daemonize option (the launcher would exit at once and count as a crash)");
        }
        if (a.match() != null && !a.match().isBlank()) {
            add(id, "match", "adopting an already running process is AgentDeck's own");
        }
    }

    /** The back-off notes: exponential delays and their reset after a good run. */
    public void backoff(AgentSpec a, String manager) {
        if (a.restart().policy() == RestartPolicy.NEVER) {
            return;
        }
        if (a.restart().maxDelayMs() > a.restart().delayMs()) {
            add(a.id(), "restart.maxDelayMs", manager + " has no doubling back-off up to " + a.restart().maxDelayMs()
                    + " ms");
        }
        add(a.id(), "restart.resetAfterSec", manager + " has no " + a.restart().resetAfterSec()
                + " s reset of the back-off after a good run");
    }

    /**
     * The header: {@code prefix} before every line, the title, free lines (how to use the file), and per agent
     * what did not map and why.
     */
    public String header(String prefix, String title, List<String> lines, List<String> agents) {
        StringBuilder sb = new StringBuilder();
        sb.append(prefix).append(" Exported from AgentDeck: ").append(title).append('\n');
        for (String l : lines) {
            sb.append(prefix).append(l.isEmpty() ? "" : " " + l.replaceAll("\\p{Cntrl}", " ")).append('\n');
        }
        sb.append(prefix).append('\n').append(prefix).append(" Not mapped, per agent:\n");
        for (String id : agents) {
            List<String> notes = byAgent.getOrDefault(id, List.of());
            sb.append(prefix).append("   ").append(id).append(notes.isEmpty() ? ": everything mapped" : ":").append('\n');
            for (String n : notes) {
                sb.append(prefix).append("     - ").append(n.replaceAll("\\p{Cntrl}", " ")).append('\n');
            }
        }
        return sb.toString();
    }
}
