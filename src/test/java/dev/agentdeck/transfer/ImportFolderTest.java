package dev.agentdeck.transfer;

import dev.agentdeck.core.AgentSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Working directories of an import are where the other manager would have run the processes. */
class ImportFolderTest {
    private static final Path FOLDER = Path.of("/home/me/project");

    private static Map<String, AgentSpec> byId(ImportResult r) {
        return r.agents().stream().collect(Collectors.toMap(AgentSpec::id, Function.identity()));
    }

    @Test
    void processComposeAndProcfileRunInTheFilesFolder() {
        ImportResult pc = Importers.read(ImportFormat.PROCESS_COMPOSE, """
                version: "0.5"
                processes:
                  api:
                    command: "./run-api"
                    working_dir: "./services/api"
                  tmp:
                    command: "sleep 1"
                    working_dir: "/tmp"
                  here:
                    command: "make watch"
                """, "process-compose.yaml").relativeTo(FOLDER);
        assertEquals("/home/me/project/services/api", byId(pc).get("api").cwd());
        assertEquals("/tmp", byId(pc).get("tmp").cwd());
        assertEquals("/home/me/project", byId(pc).get("here").cwd());

        ImportResult procfile = Importers.read(ImportFormat.PROCFILE, "web: bundle exec puma\n", "Procfile").relativeTo(FOLDER);
        assertEquals("/home/me/project", procfile.agents().get(0).cwd());
    }

    @Test
    void supervisorDirectoriesStayAsWritten() {
        ImportResult r = Importers.read(ImportFormat.SUPERVISOR, """
                [program:a]
                command=/bin/sleep 1
                """, "x.conf").relativeTo(FOLDER);
        assertNull(r.agents().get(0).cwd());
    }
}
