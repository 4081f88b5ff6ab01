package dev.agentdeck.app;

import java.util.List;

/**
 * The panel's own flags, after the API options: {@code --headless} (no display: Monocle's headless glass),
 * {@code --measure-startup} (print the time to the first painted frame and end) and {@code --smoke-test} (open
 * the window, start and stop one agent by its badge, end 0 when all of it worked).
 */
public record PanelOptions(boolean headless, boolean measureStartup, boolean smokeTest) {
    public static final PanelOptions NONE = new PanelOptions(false, false, false);

    /** Parses the gui command's remaining arguments; anything else is an error naming the argument. */
    public static PanelOptions parse(List<String> args) {
        boolean headless = false;
        boolean measure = false;
        boolean smoke = false;
        for (String a : args) {
            switch (a) {
                case "--headless" -> headless = true;
                case "--measure-startup" -> measure = true;
                case "--smoke-test" -> smoke = true;
                default -> throw new IllegalArgumentException("unknown argument " + a + " (see agentdeck gui --help)");
            }
        }
        if (measure && smoke) {
            throw new IllegalArgumentException("--measure-startup and --smoke-test go one at a time");
        }
        return new PanelOptions(headless, measure, smoke);
    }

    /** Whether the panel ends by itself (and with an exit code of its own). */
    public boolean ends() {
        return measureStartup || smokeTest;
    }
}
