package dev.agentdeck.transfer.imports;

import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.Instances;
import dev.agentdeck.core.RestartPolicy;
import dev.agentdeck.core.RestartSpec;
import dev.agentdeck.core.Signal;
import dev.agentdeck.core.SpecValidator;
import dev.agentdeck.core.StopSpec;
import dev.agentdeck.transfer.ImportFormat;
import dev.agentdeck.transfer.ImportResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads supervisord's {@code [program:x]} sections into agents. Carried: command (split as supervisord splits
 * it, no shell), directory, environment (plus {@code [supervisord]}'s, which every program gets), autostart,
 * autorestart, startretries (+1 as AgentDeck's burst counts the first start), startsecs (the uptime after which
 * a run counts as started), stopsignal, stopwaitsecs, numprocs ({@code %(process_num)} becomes
 * {@code {instance}}) and {@code [group:x]} membership as tags. Everything else is noted.
 */
public final class SupervisorReader {
    private final Collector out;
    private final SupervisorPrograms programs;

    private SupervisorReader(Collector out, SupervisorPrograms programs) {
        this.out = out;
        this.programs = programs;
    }

    /**
     * Reads {@code text}; {@code environment} serves {@code %(ENV_X)s}, {@code here} (the file's folder, or null
     * when unknown) serves {@code %(here)s}.
     */
    public static ImportResult read(String text, String source, Map<String, String> environment, String here) {
        Collector out = new Collector(ImportFormat.SUPERVISOR, source);
        Ini ini = Ini.parse(text);
        for (Ini.BadLine bad : ini.badLines) {
            out.problem(bad.line(), null, "\"" + SpecValidator.printable(bad.text().strip())
                    + "\" is not a [section], a name=value line, a comment or an indented continuation"
                    + sectionLeftOut(ini, bad.line()));
        }
        SupervisorPrograms programs = new SupervisorPrograms(out, environment, here);
        programs.readShared(ini.sections);
        SupervisorReader reader = new SupervisorReader(out, programs);
        for (Ini.Section s : ini.sections) {
            if (s.name.startsWith("program:") && s.badLine == 0) {
                reader.program(s);
            }
        }
        return out.result();
    }

    private static String sectionLeftOut(Ini ini, int line) {
        return ini.sections.stream().filter(s -> s.badLine == line && s.name.startsWith("program:")).findFirst()
                .map(s -> "; [" + s.name + "] is left out").orElse("");
    }

    private void program(Ini.Section s) {
        String name = s.name.substring("program:".length()).strip();
        String label = "[" + s.name + "]";
        String id = out.id(name, s.line, label);
        if (id == null) {
            return;
        }
        Fields f = new Fields(s, label, id);
        int numprocs = f.integer("numprocs", 1, 1);
        int start = f.integer("numprocs_start", 0, 0);
        Map<String, PyFormat.Value> names = programs.expansions(name, numprocs,
                numprocs > 1 ? new PyFormat.Placeholder(Instances.INSTANCE) : new PyFormat.Number(start));
        Placeholders used = new Placeholders();
        List<String> words = command(f, names, used);
        Map<String, String> env = new LinkedHashMap<>(programs.sharedEnvironment());
        String envText = f.expanded("environment", names, used);
        if (envText != null) {
            try {
                env.putAll(KeyValuePairs.parse(envText));
            } catch (IllegalArgumentException e) {
                f.fail("environment", e.getMessage());
            }
        }
        String cwd = f.expanded("directory", names, used);
        AgentSpec.Builder b = AgentSpec.builder(id).name(name.equals(id) ? null : name).env(env).cwd(cwd)
                .autostart(f.bool("autostart", true)).restart(restart(f)).stop(stop(f))
                .tags(programs.groupsOf(name)).instances(numprocs > 1 ? numprocs : 0);
        if (f.failed || words == null) {
            return;
        }
        b.command(words.get(0)).args(words.subList(1, words.size()));
        notes(id, f, numprocs, start, used, words, cwd);
        out.add(b.build(), s.line, label);
    }

    /** Which settings {@code %(process_num)} was expanded in, and whether a width like {@code 02d} was lost. */
    private static final class Placeholders {
        final List<String> keys = new ArrayList<>();
        boolean widthLost;
    }

    private List<String> command(Fields f, Map<String, PyFormat.Value> names, Placeholders used) {
        String text = f.expanded("command", names, used);
        if (text == null) {
            if (!f.failed) {
                f.fail(null, "command is required");
            }
            return null;
        }
        try {
            List<String> words = ShellWords.split(text);
            if (words.isEmpty()) {
                f.fail("command", "it is empty");
                return null;
            }
            return words;
        } catch (IllegalArgumentException e) {
            f.fail("command", "it cannot be split into words as supervisord splits it: " + e.getMessage());
            return null;
        }
    }

    private RestartSpec restart(Fields f) {
        RestartPolicy policy = RestartPolicy.ON_FAILURE;
        String v = f.raw("autorestart");
        if (v != null) {
            String lower = v.toLowerCase(Locale.ROOT);
            policy = lower.equals("unexpected") ? RestartPolicy.ON_FAILURE
                    : SupervisorPrograms.TRUE.contains(lower) ? RestartPolicy.ALWAYS
                    : SupervisorPrograms.FALSE.contains(lower) ? RestartPolicy.NEVER : null;
            if (policy == null) {
                f.fail("autorestart", "\"" + SpecValidator.printable(v) + "\" must be true, false or unexpected");
                policy = RestartPolicy.ON_FAILURE;
            }
        }
        int retries = f.integer("startretries", 3, 0);
        int startSecs = f.integer("startsecs", 1, 0);
        RestartSpec d = RestartSpec.DEFAULT;
        return new RestartSpec(policy, d.delayMs(), d.maxDelayMs(), retries + 1, d.windowSec(), startSecs);
    }

    private StopSpec stop(Fields f) {
        Signal signal = Signal.TERM;
        String v = f.raw("stopsignal");
        if (v != null) {
            signal = v.strip().matches("\\d{1,3}") ? Signal.ofNumber(Integer.parseInt(v.strip())) : Signal.parse(v);
            if (signal == null) {
                f.fail("stopsignal", "\"" + SpecValidator.printable(v) + "\" is not a signal AgentDeck can send ("
                        + String.join(", ", java.util.Arrays.stream(Signal.values()).map(Enum::name).toList()) + ")");
                signal = Signal.TERM;
            }
        }
        return new StopSpec(signal, f.integer("stopwaitsecs", 10, 0));
    }

    private void notes(String id, Fields f, int numprocs, int start, Placeholders used, List<String> words,
                       String cwd) {
        if (!used.keys.isEmpty()) {
            if (start != 1) {
                out.note(id, "numprocs_start", "supervisord numbered these processes from " + start
                        + " (%(process_num)); AgentDeck's {instance} counts from 1, so each value is "
                        + (1 - start) + " higher");
            }
            if (used.widthLost) {
                out.note(id, "process_num", "the zero-padding of %(process_num)0Nd is lost: {instance} is 1, 2, ... not 01, 02");
            }
            if (words.get(0).contains(Instances.INSTANCE) || (cwd != null && cwd.contains(Instances.INSTANCE))) {
                out.note(id, "process_num", "{instance} is replaced in args and env only; in the command's program"
                        + " or the directory it stays as written");
            }
        }
        String processName = f.raw("process_name");
        if (processName != null && (numprocs > 1 || !processName.strip().equals("%(program_name)s"))) {
            out.note(id, "process_name", numprocs > 1 ? "the " + numprocs + " processes are named " + id + "-1.."
                    + id + "-" + numprocs : "the agent is named after the program: " + id);
        }
        String exitCodes = f.raw("exitcodes");
        if (exitCodes != null && !exitCodes.strip().equals("0")) {
            out.note(id, "exitcodes", "AgentDeck counts only exit code 0 as an expected exit, not " + exitCodes.strip());
        }
        for (String key : f.section.entries.keySet()) {
            String reason = SupervisorPrograms.notCarried(key);
            if (reason != null) {
                out.note(id, key, reason);
            }
        }
    }

    /** Typed access to one section's values, reporting each bad one as a problem at its line. */
    private final class Fields {
        final Ini.Section section;
        final String label;
        final String id;
        boolean failed;

        Fields(Ini.Section section, String label, String id) {
            this.section = section;
            this.label = label;
            this.id = id;
        }

        String raw(String key) {
            Ini.Entry e = section.entries.get(key);
            return e == null ? null : e.value();
        }

        void fail(String key, String message) {
            Ini.Entry e = key == null ? null : section.entries.get(key);
            out.problem(e == null ? section.line : e.line(), key == null ? label : key,
                    message + (key == null ? "" : " in " + label) + "; the program is left out");
            failed = true;
        }

        int integer(String key, int def, int min) {
            String v = raw(key);
            if (v == null) {
                return def;
            }
            try {
                int n = Integer.parseInt(v.strip());
                if (n >= min) {
                    return n;
                }
                fail(key, v.strip() + " is below the minimum of " + min);
            } catch (NumberFormatException e) {
                fail(key, "\"" + SpecValidator.printable(v) + "\" is not a whole number");
            }
            return def;
        }

        boolean bool(String key, boolean def) {
            String v = raw(key);
            if (v == null) {
                return def;
            }
            String lower = v.strip().toLowerCase(Locale.ROOT);
            if (SupervisorPrograms.TRUE.contains(lower) || SupervisorPrograms.FALSE.contains(lower)) {
                return SupervisorPrograms.TRUE.contains(lower);
            }
            fail(key, "\"" + SpecValidator.printable(v) + "\" must be true or false");
            return def;
        }

        String expanded(String key, Map<String, PyFormat.Value> names, Placeholders used) {
            String v = raw(key);
            if (v == null) {
                return null;
            }
            try {
                PyFormat.Expanded e = PyFormat.expand(v, names);
                if (e.placeholderUsed()) {
                    used.keys.add(key);
                    used.widthLost |= e.widthLost();
                }
                String caveat = programs.expansionCaveat(v);
                if (caveat != null) {
                    out.note(id, key, caveat);
                }
                return e.text();
            } catch (IllegalArgumentException e) {
                fail(key, e.getMessage());
                return null;
            }
        }
    }
}
