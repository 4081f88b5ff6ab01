package dev.agentdeck.testutil;

import dev.agentdeck.app.CommandLine;
import dev.agentdeck.cli.CtlCommand;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What an {@code agentdeck ctl} call on a home printed and returned (run in this JVM). */
public record Ctl(int exit, String out, String err) {
    public static Ctl run(Path home, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of("--home", home.toString(), "ctl"));
        all.addAll(List.of(args));
        int exit = CtlCommand.run(CommandLine.parse(all.toArray(String[]::new)), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Ctl(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
