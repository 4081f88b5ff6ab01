package dev.agentdeck.app;

import java.util.ArrayList;
import java.util.List;

/**
 * The parsed command line: global options, the command (gui by default) and the command's own arguments.
 *
 * @param home    the --home folder, or null
 * @param command gui, serve, demo-agent, help, version
 */
public record CommandLine(String home, String command, List<String> rest) {
    public static final String USAGE = """
            Usage: agentdeck [--home DIR] [COMMAND] [ARGS]

            Commands:
              gui                      open the panel (the default)
              serve                    run the engine headless (no window), until SIGTERM or Ctrl-C
              demo-agent NAME [ARGS]   run one of the built-in demo agents (web, chatty, busy, crasher, reporter)
              help                     show this help
              version                  print the version

            Options:
              --home DIR   keep everything (agents.json, logs, run, history) flat under DIR;
                           AGENTDECK_HOME does the same. Without either, config goes to
                           $XDG_CONFIG_HOME/agentdeck and data to $XDG_DATA_HOME/agentdeck.
            """;

    /** Parses the arguments; unknown options before the command are an error naming the option. */
    public static CommandLine parse(String... args) {
        String home = null;
        int i = 0;
        while (i < args.length && args[i].startsWith("-")) {
            String a = args[i];
            if (a.equals("--home")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--home needs a folder, e.g. --home ~/agentdeck-test");
                }
                home = args[i + 1];
                i += 2;
            } else if (a.startsWith("--home=")) {
                home = a.substring("--home=".length());
                i++;
            } else if (a.equals("--help") || a.equals("-h")) {
                return new CommandLine(home, "help", List.of());
            } else if (a.equals("--version")) {
                return new CommandLine(home, "version", List.of());
            } else {
                throw new IllegalArgumentException("unknown option " + a + " (see agentdeck --help)");
            }
        }
        String command = i < args.length ? args[i++] : "gui";
        List<String> rest = new ArrayList<>();
        while (i < args.length) {
            rest.add(args[i++]);
        }
        return new CommandLine(home, command, List.copyOf(rest));
    }
}
