package dev.agentdeck.transfer.imports;

import dev.agentdeck.core.SpecValidator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What supervisord.conf says for all programs: groups, {@code [supervisord]}'s environment, the names
 * {@code %(...)s} expands, and which program settings AgentDeck has no counterpart for (with why).
 */
final class SupervisorPrograms {
    static final Set<String> TRUE = Set.of("yes", "true", "on", "1");
    static final Set<String> FALSE = Set.of("no", "false", "off", "0");
    private static final Set<String> HANDLED = Set.of("command", "numprocs", "numprocs_start", "autostart",
            "startsecs", "startretries", "autorestart", "stopsignal", "stopwaitsecs", "environment", "directory",
            "process_name", "exitcodes");
    private static final Set<String> OUTPUT = Set.of("redirect_stderr", "stdout_logfile", "stdout_logfile_maxbytes",
            "stdout_logfile_backups", "stdout_capture_maxbytes", "stdout_events_enabled", "stdout_syslog",
            "stderr_logfile", "stderr_logfile_maxbytes", "stderr_logfile_backups", "stderr_capture_maxbytes",
            "stderr_events_enabled", "stderr_syslog");
    private static final Map<String, String> OTHERS = Map.of(
            "priority", "AgentDeck orders starts by dependsOn, not by priority",
            "user", "AgentDeck runs agents as the user it runs as",
            "umask", "AgentDeck does not set a umask per agent",
            "stopasgroup", "AgentDeck always signals the agent's whole process tree",
            "killasgroup", "AgentDeck always signals the agent's whole process tree",
            "serverurl", "there is no supervisord for the program to talk to");

    private final Collector out;
    private final Map<String, String> environment;
    private final String here;
    private final Map<String, List<String>> groups = new LinkedHashMap<>();
    private final Map<String, String> sharedEnv = new LinkedHashMap<>();

    SupervisorPrograms(Collector out, Map<String, String> environment, String here) {
        this.out = out;
        this.environment = environment;
        this.here = here;
    }

    /** Why {@code key} of a [program:x] is not carried over; null when it is. */
    static String notCarried(String key) {
        if (HANDLED.contains(key)) {
            return null;
        }
        if (OUTPUT.contains(key)) {
            return "AgentDeck keeps each agent's output in its own log files";
        }
        return OTHERS.getOrDefault(key, "not a [program:x] setting AgentDeck knows; left out");
    }

    /** Reads the groups and [supervisord]'s environment, and notes the sections that are not programs. */
    void readShared(List<Ini.Section> sections) {
        Set<String> programNames = new TreeSet<>();
        sections.stream().filter(s -> s.name.startsWith("program:"))
                .forEach(s -> programNames.add(s.name.substring("program:".length()).strip()));
        List<String> ignored = new ArrayList<>();
        for (Ini.Section s : sections) {
            if (s.name.startsWith("group:")) {
                group(s, programNames);
            } else if (s.name.equals("supervisord")) {
                supervisord(s);
                ignored.add("[supervisord]");
            } else if (s.name.equals("include")) {
                out.fileNote("[include]", "the files it names are not read; import each of them as well");
            } else if (s.name.startsWith("fcgi-program:") || s.name.startsWith("eventlistener:")) {
                out.fileNote("[" + s.name + "]", "not imported: AgentDeck has no FastCGI sockets or event listeners");
            } else if (!s.name.startsWith("program:")) {
                ignored.add("[" + s.name + "]");
            }
        }
        if (!ignored.isEmpty()) {
            out.fileNote(String.join(", ", ignored), "supervisord's own settings, not a program's; ignored"
                    + (sharedEnv.isEmpty() ? "" : " (except [supervisord] environment, which every agent gets)"));
        }
    }

    private void group(Ini.Section s, Set<String> programNames) {
        String group = s.name.substring("group:".length()).strip();
        Ini.Entry list = s.entries.get("programs");
        if (list == null) {
            out.problem(s.line, "[" + s.name + "]", "programs= is missing");
            return;
        }
        for (String p : list.value().split(",")) {
            String name = p.strip();
            if (name.isEmpty()) {
                continue;
            }
            if (!programNames.contains(name)) {
                out.problem(list.line(), "programs", "[" + s.name + "] names \"" + SpecValidator.printable(name)
                        + "\", which has no [program:" + SpecValidator.printable(name) + "] here");
            }
            groups.computeIfAbsent(name, k -> new ArrayList<>()).add(group);
        }
        if (s.entries.containsKey("priority")) {
            out.fileNote("[" + s.name + "] priority", "AgentDeck orders starts by dependsOn, not by priority");
        }
    }

    private void supervisord(Ini.Section s) {
        Ini.Entry env = s.entries.get("environment");
        if (env == null) {
            return;
        }
        try {
            sharedEnv.putAll(KeyValuePairs.parse(PyFormat.expand(env.value(), base()).text()));
        } catch (IllegalArgumentException e) {
            out.problem(env.line(), "environment", e.getMessage() + " in [supervisord]; it is not given to the programs");
        }
    }

    Map<String, String> sharedEnvironment() {
        return sharedEnv;
    }

    /** The groups {@code program} is in, as tags. */
    List<String> groupsOf(String program) {
        return groups.getOrDefault(program, List.of());
    }

    /** What {@code %(name)s} expands to in the settings of {@code program}. */
    Map<String, PyFormat.Value> expansions(String program, int numprocs, PyFormat.Value processNum) {
        Map<String, PyFormat.Value> names = base();
        names.put("program_name", new PyFormat.Text(program));
        List<String> inGroups = groupsOf(program);
        names.put("group_name", new PyFormat.Text(inGroups.isEmpty() ? program : inGroups.get(0)));
        names.put("numprocs", new PyFormat.Number(numprocs));
        names.put("process_num", processNum);
        return names;
    }

    private Map<String, PyFormat.Value> base() {
        Map<String, PyFormat.Value> names = new LinkedHashMap<>();
        environment.forEach((k, v) -> names.put("ENV_" + k, new PyFormat.Text(v)));
        names.put("here", new PyFormat.Text(here == null ? "." : here));
        String host = environment.get("HOSTNAME");
        names.put("host_node_name", new PyFormat.Text(host == null ? "localhost" : host));
        return names;
    }

    /** Why an expanded value may differ from what supervisord would have made of it; null when it would not. */
    String expansionCaveat(String raw) {
        List<String> why = new ArrayList<>();
        if (raw.contains("%(ENV_")) {
            why.add("%(ENV_X)s was expanded from the environment AgentDeck runs in now, not supervisord's");
        }
        if (raw.contains("%(here)") && here == null) {
            why.add("%(here)s became \".\" as the file's folder is not known");
        }
        if (raw.contains("%(host_node_name)")) {
            why.add("%(host_node_name)s became this host's name at import");
        }
        return why.isEmpty() ? null : String.join("; ", why);
    }
}
