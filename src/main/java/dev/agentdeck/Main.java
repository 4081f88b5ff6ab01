package dev.agentdeck;

import dev.agentdeck.app.CommandLine;
import dev.agentdeck.os.Launchers;
import dev.agentdeck.app.PanelOptions;
import dev.agentdeck.demo.DemoAgents;

/**
 * AgentDeck's one entry point: {@code agentdeck [--home DIR] [gui | serve | ctl ... | demo-agent NAME ... | cds-archive | help | version]}.
 * The panel's classes are only loaded for the gui command, so headless commands never touch JavaFX.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        CommandLine cl;
        try {
            cl = CommandLine.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("agentdeck: " + e.getMessage());
            System.exit(2);
            return;
        }
        switch (cl.command()) {
            case "gui" -> {
                java.util.Optional<java.nio.file.Path> panel = Launchers.panelInstead();
                if (panel.isPresent()) {
                    System.exit(openWith(panel.get(), args));
                    return;
                }
                if (cl.rest().contains("--help") || cl.rest().contains("-h")) {
                    System.out.print(CommandLine.GUI_USAGE);
                } else {
                    PanelOptions options;
                    try {
                        options = PanelOptions.parse(cl.rest());
                    } catch (IllegalArgumentException e) {
                        System.err.println("agentdeck: " + e.getMessage());
                        System.exit(2);
                        return;
                    }
                    dev.agentdeck.ui.AgentDeckApp.launchPanel(cl, options, args);
                }
            }
            case "serve" -> System.exit(dev.agentdeck.app.ServeCommand.run(cl, System.out, System.err));
            case "ctl" -> System.exit(dev.agentdeck.cli.CtlCommand.run(cl, System.out, System.err));
            case "demo-agent" -> System.exit(DemoAgents.run(cl.rest()));
            case "cds-archive" -> System.exit(dev.agentdeck.app.ClassDataArchive.run(cl.rest(), System.out, System.err));
            case "help" -> System.out.print(CommandLine.USAGE);
            case "version" -> System.out.println("AgentDeck " + version());
            default -> {
                System.err.println("agentdeck: unknown command \"" + cl.command() + "\"\n\n" + CommandLine.USAGE);
                System.exit(2);
            }
        }
    }

    private static int openWith(java.nio.file.Path panel, String[] args) {
        try {
            return Launchers.runPanel(panel, args);
        } catch (java.io.IOException e) {
            System.err.println("agentdeck: cannot start the panel's launcher " + panel + ": " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    public static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }
}
