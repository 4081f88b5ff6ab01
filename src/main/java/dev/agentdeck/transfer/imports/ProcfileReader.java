package dev.agentdeck.transfer.imports;

import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.SpecValidator;
import dev.agentdeck.transfer.ImportFormat;
import dev.agentdeck.transfer.ImportResult;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Procfile ({@code name: command} lines, {@code #} comments) as foreman and honcho do. A command that
 * needs a shell (quotes, variables, pipes...) runs as {@code sh -c "<command>"}; a plain one is split into words.
 * Every process starts with AgentDeck (autostart), as {@code foreman start} starts them all.
 */
public final class ProcfileReader {
    private static final Pattern LINE = Pattern.compile("([A-Za-z0-9_-]+):\\s*(.*)");
    private static final Pattern PORT = Pattern.compile("\\$\\{?PORT\\b");

    private ProcfileReader() {
    }

    public static ImportResult read(String text, String source) {
        Collector out = new Collector(ImportFormat.PROCFILE, source);
        String[] lines = text.split("\r\n|\r|\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                process(out, line, i + 1);
            }
        }
        out.fileNote("Procfile", "foreman and honcho stop every process when one exits, and read a .env file next"
                + " to the Procfile; AgentDeck restarts a failed agent on its own (restart on-failure) and reads an"
                + " env file only when an agent's envFile names it");
        return out.result();
    }

    private static void process(Collector out, String line, int number) {
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
            out.problem(number, null, "\"" + SpecValidator.printable(line) + "\" is not a \"name: command\" line");
            return;
        }
        String name = m.group(1);
        String command = m.group(2).strip();
        if (command.isEmpty()) {
            out.problem(number, name, "the command is missing");
            return;
        }
        String id = out.id(name, number, name);
        if (id == null) {
            return;
        }
        AgentSpec.Builder b = AgentSpec.builder(id).name(name.equals(id) ? null : name).autostart(true);
        if (ShellWords.needsShell(command)) {
            b.command("sh").args(List.of("-c", command));
        } else {
            List<String> words = List.of(command.split("[ \t]+"));
            b.command(words.get(0)).args(words.subList(1, words.size()));
        }
        if (PORT.matcher(command).find()) {
            out.note(id, "PORT", "foreman and Heroku give each process a PORT; AgentDeck sets none: set env PORT"
                    + " and port on this agent yourself");
        }
        if (name.equals("release")) {
            out.note(id, "release", "Heroku runs the release process once per deploy; here it is an agent you start");
        }
        out.add(b.build(), number, name);
    }
}
