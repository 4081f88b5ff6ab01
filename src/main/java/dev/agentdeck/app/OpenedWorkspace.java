package dev.agentdeck.app;

import dev.agentdeck.config.Workspace;
import dev.agentdeck.demo.DemoWorkspace;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * The workspace the panel opens, and whether it is the demo: --home or AGENTDECK_HOME when given; else the
 * user's own workspace when it has an agents.json; else the demo workspace in the data folder.
 */
public record OpenedWorkspace(Workspace workspace, boolean demo) {

    public static OpenedWorkspace choose(String homeArg, Map<String, String> env) throws IOException {
        boolean explicit = (homeArg != null && !homeArg.isBlank())
                || (env.get(Workspace.HOME_ENV) != null && !env.get(Workspace.HOME_ENV).isBlank());
        Workspace ws = Workspace.resolve(homeArg, env);
        if (explicit || Files.exists(ws.agentsFile())) {
            return new OpenedWorkspace(ws, false);
        }
        Workspace demo = Workspace.home(ws.dataDir().resolve("demo"));
        DemoWorkspace.prepare(demo.configDir());
        return new OpenedWorkspace(demo, true);
    }
}
