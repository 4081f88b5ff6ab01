package dev.agentdeck.transfer.imports;

import dev.agentdeck.config.ConfigException;
import dev.agentdeck.config.ConfigReader;
import dev.agentdeck.config.ConfigWriter;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.Dependency;
import dev.agentdeck.core.Problem;
import dev.agentdeck.core.SpecValidator;
import dev.agentdeck.transfer.ImportFormat;
import dev.agentdeck.transfer.ImportNote;
import dev.agentdeck.transfer.ImportProblem;
import dev.agentdeck.transfer.ImportResult;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a reader finds in one file: the agents it made, the notes and the problems. {@link #result()} keeps only
 * agents that are valid as agents.json entries and together (unique ids, known dependencies, no cycle); each one
 * left out or changed is reported with the line of its section.
 */
final class Collector {
    private static final Pattern AGENT_INDEX = Pattern.compile("^agents\\[(\\d+)]");
    private static final int MAX_ID = 64;

    private final ImportFormat format;
    private final String source;
    private final List<Draft> drafts = new ArrayList<>();
    private final List<ImportNote> notes = new ArrayList<>();
    private final List<ImportProblem> problems = new ArrayList<>();

    /** An agent as read, with the line and the name of the section it comes from. */
    private record Draft(AgentSpec spec, int line, String label) {
    }

    Collector(ImportFormat format, String source) {
        this.format = format;
        this.source = source;
    }

    String source() {
        return source;
    }

    void note(String agent, String field, String reason) {
        notes.add(new ImportNote(agent, field, reason));
    }

    /** A note about the file rather than one agent. */
    void fileNote(String field, String reason) {
        notes.add(ImportNote.ofFile(field, reason));
    }

    void problem(int line, String field, String message) {
        problems.add(new ImportProblem(source, line, field, message));
    }

    boolean hasProblems() {
        return !problems.isEmpty();
    }

    /**
     * The agent id for a name of the file: lower-case, other characters than {@code [a-z0-9._-]} made '-', no
     * leading '.', '_' or '-', at most 64 characters; a note says so when it differs. Null (with a problem) when
     * nothing usable is left.
     */
    String id(String name, int line, String field) {
        String id = idOf(name);
        if (id.isEmpty()) {
            problem(line, field, "the name \"" + SpecValidator.printable(name) + "\" gives no usable agent id");
            return null;
        }
        if (!id.equals(name)) {
            note(id, "id", "the name \"" + SpecValidator.printable(name) + "\" became the id \"" + id
                    + "\" (ids are lower-case letters, digits, '.', '_' and '-')");
        }
        return id;
    }

    static String idOf(String name) {
        StringBuilder b = new StringBuilder();
        for (char c : name.toLowerCase(Locale.ROOT).toCharArray()) {
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
            b.append(ok ? c : '-');
        }
        int start = 0;
        while (start < b.length() && ".-_".indexOf(b.charAt(start)) >= 0) {
            start++;
        }
        String id = b.substring(start);
        return id.length() > MAX_ID ? id.substring(0, MAX_ID) : id;
    }

    /** An agent read from the section {@code label} at {@code line}. */
    void add(AgentSpec spec, int line, String label) {
        drafts.add(new Draft(spec, line, label));
    }

    /** The result: agents valid on their own and together, in the file's order. */
    ImportResult result() {
        List<Draft> kept = new ArrayList<>();
        Map<String, String> labelOf = new HashMap<>();
        for (Draft d : drafts) {
            String other = labelOf.putIfAbsent(d.spec.id(), d.label);
            if (other != null) {
                problem(d.line, d.label, "its id \"" + d.spec.id() + "\" is already the id of " + other
                        + "; it is left out");
            } else if (validAlone(d)) {
                kept.add(d);
            }
        }
        for (int round = 0; round <= drafts.size(); round++) {
            kept = withKnownDependencies(kept);
            List<Problem> found = SpecValidator.validate(kept.stream().map(Draft::spec).toList());
            if (found.isEmpty()) {
                break;
            }
            kept = without(kept, found);
        }
        Set<String> keptIds = new HashSet<>();
        kept.forEach(d -> keptIds.add(d.spec.id()));
        List<ImportNote> keptNotes = notes.stream()
                .filter(n -> n.agent().isEmpty() || keptIds.contains(n.agent())).toList();
        List<ImportProblem> byLine = new ArrayList<>(problems);
        byLine.sort(java.util.Comparator.comparingInt(ImportProblem::line));
        return new ImportResult(format, kept.stream().map(Draft::spec).toList(), keptNotes, byLine);
    }

    private boolean validAlone(Draft d) {
        try {
            ConfigReader.readOne(ConfigWriter.agent(d.spec), d.label);
            return true;
        } catch (ConfigException e) {
            for (Problem p : e.problems()) {
                problem(d.line, d.label, p.what() + "; it is left out");
            }
            return false;
        }
    }

    /** Drops dependencies on agents that are not among {@code kept}, with a problem for each. */
    private List<Draft> withKnownDependencies(List<Draft> kept) {
        Set<String> ids = new HashSet<>();
        kept.forEach(d -> ids.add(d.spec.id()));
        List<Draft> out = new ArrayList<>();
        for (Draft d : kept) {
            List<Dependency> deps = new ArrayList<>();
            for (Dependency dep : d.spec.dependsOn()) {
                if (ids.contains(dep.id()) && !dep.id().equals(d.spec.id())) {
                    deps.add(dep);
                } else {
                    problem(d.line, d.label, "depends on \"" + dep.id() + "\", which is not an agent of this file"
                            + " (or was left out); that dependency is dropped");
                }
            }
            out.add(deps.size() == d.spec.dependsOn().size() ? d
                    : new Draft(d.spec.toBuilder().dependsOn(deps).build(), d.line, d.label));
        }
        return out;
    }

    /** Leaves out the agents that {@code found} names, with a problem for each. */
    private List<Draft> without(List<Draft> kept, List<Problem> found) {
        Set<Integer> bad = new HashSet<>();
        for (Problem p : found) {
            Matcher m = AGENT_INDEX.matcher(p.where());
            int index = m.find() ? Integer.parseInt(m.group(1)) : -1;
            if (index >= 0 && index < kept.size()) {
                Draft d = kept.get(index);
                if (bad.add(index)) {
                    problem(d.line, d.label, p.what() + "; it is left out");
                }
            }
        }
        if (bad.isEmpty()) {
            bad.add(kept.size() - 1); // a problem naming no agent: never loop on it
        }
        List<Draft> out = new ArrayList<>();
        for (int i = 0; i < kept.size(); i++) {
            if (!bad.contains(i)) {
                out.add(kept.get(i));
            }
        }
        return out;
    }
}
