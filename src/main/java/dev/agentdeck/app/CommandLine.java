package dev.agentdeck.app;

import dev.agentdeck.api.ApiOptions;

import java.util.ArrayList;
import java.util.List;

/**
 * The parsed command line: global options, the command (gui by default) and the command's own arguments.
 * API options ({@code --api-port} and friends) may come before the command or after gui and serve.
 *
 * @param home    the --home folder, or null
 * @param command gui, serve, ctl, demo-agent, help, version
 * @param rest    the command's own arguments
 * @param api     the API options for gui and serve
 */
public record CommandLine(String home, String command, List<String> rest, ApiOptions api, Attach attach) {
    /** {@code --attach URL --token-file F}: open the panel on the engine at URL instead of a home's own. */
    public record Attach(String url, String tokenFile) {
    }

    public CommandLine(String home, String command, List<String> rest, ApiOptions api) {
        this(home, command, rest, api, null);
    }

    public static final String USAGE = """
            Usage: agentdeck [--home DIR] [API OPTIONS] [COMMAND] [ARGS]

            Commands:
              gui                      open the panel (the default)
              serve                    run the engine and its API headless (no window), until SIGTERM or Ctrl-C
              ctl COMMAND ...          control a running panel or serve (agentdeck ctl --help)
              demo-agent NAME [ARGS]   run one of the built-in demo agents (web, chatty, busy, crasher, reporter)
              cds-archive              (the installed app) write its class-data archive, for a faster start
              help                     show this help
              version                  print the version

            Options:
              --attach URL       open the panel on the engine a `serve` runs at URL (another address or
                                 machine) instead of a home's own; with --token-file F, its api.token
              --home DIR         keep everything (agents.json, logs, run, history) flat under DIR;
                                 AGENTDECK_HOME does the same. Without either, config goes to
                                 $XDG_CONFIG_HOME/agentdeck and data to $XDG_DATA_HOME/agentdeck.
            """ + "\nAPI options (gui and serve):\n" + ApiOptions.HELP;

    public static final String GUI_USAGE = """
            Usage: agentdeck [--home DIR] [gui] [API OPTIONS] [--headless] [--measure-startup | --smoke-test]

            Opens the panel on the workspace of --home (or AGENTDECK_HOME), else on yours, else on the
            demo workspace. The panel owns the workspace's engine and serves the API while it is open;
            if another panel already has the workspace, that one is brought to the front instead.

              --headless          no display needed: Monocle's headless glass, software rendering
              --measure-startup   print the time from process start to the first painted frame, then end
              --smoke-test        open the window, click one agent's badge (the demo's chatty), wait until
                                  it runs, click again, wait until its processes are gone; end 0 on success

            API options:
            """ + ApiOptions.HELP;

    /** Parses the arguments; unknown options before the command are an error naming the option. */
    public static CommandLine parse(String... args) {
        String home = null;
        String attachUrl = null;
        String tokenFile = null;
        List<String> apiArgs = new ArrayList<>();
        List<String> panelFlags = new ArrayList<>();
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
            } else if (a.equals("--attach") || a.equals("--token-file")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a.equals("--attach")
                            ? "--attach needs the engine's URL, e.g. --attach https://build-box:7700"
                            : "--token-file needs the file holding the engine's token (its api.token)");
                }
                if (a.equals("--attach")) {
                    attachUrl = args[i + 1];
                } else {
                    tokenFile = args[i + 1];
                }
                i += 2;
            } else if (a.equals("--help") || a.equals("-h")) {
                return new CommandLine(home, "help", List.of(), ApiOptions.DEFAULT);
            } else if (a.equals("--version")) {
                return new CommandLine(home, "version", List.of(), ApiOptions.DEFAULT);
            } else if (a.equals("--api-port") || a.equals("--api-address")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value (see agentdeck --help)");
                }
                apiArgs.add(a);
                apiArgs.add(args[i + 1]);
                i += 2;
            } else if (a.equals("--headless") || a.equals("--measure-startup") || a.equals("--smoke-test")) {
                panelFlags.add(a);
                i++;
            } else if (a.startsWith("--api-") || a.equals("--no-auth") || a.equals("--no-api") || a.equals("--tls")) {
                apiArgs.add(a);
                i++;
            } else {
                throw new IllegalArgumentException("unknown option " + a + " (see agentdeck --help)");
            }
        }
        String command = i < args.length ? args[i++] : "gui";
        List<String> rest = new ArrayList<>();
        while (i < args.length) {
            rest.add(args[i++]);
        }
        if (tokenFile != null && attachUrl == null) {
            throw new IllegalArgumentException("--token-file goes with --attach URL");
        }
        Attach attach = attachUrl == null ? null : new Attach(attachUrl, tokenFile);
        if (attach != null) {
            EngineSession.checkUrl(attachUrl);
        }
        if (attach != null && !command.equals("gui")) {
            throw new IllegalArgumentException("--attach opens the panel; for " + command
                    + " use agentdeck ctl --url URL --token-file F");
        }
        if (!panelFlags.isEmpty() && !command.equals("gui")) {
            throw new IllegalArgumentException(panelFlags.get(0) + " goes with the panel (gui), not " + command);
        }
        if (command.equals("gui") || command.equals("serve")) {
            apiArgs.addAll(panelFlags);
            apiArgs.addAll(rest);
            ApiOptions.Parsed p = ApiOptions.parse(apiArgs, ApiOptions.DEFAULT);
            return new CommandLine(home, command, p.rest(), p.options(), attach);
        }
        ApiOptions api = ApiOptions.parse(apiArgs, ApiOptions.DEFAULT).options();
        return new CommandLine(home, command, List.copyOf(rest), api);
    }
}
