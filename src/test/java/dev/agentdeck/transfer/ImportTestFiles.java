package dev.agentdeck.transfer;

import dev.agentdeck.core.AgentSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/** Test resources of the import tests, and look-ups in results. */
final class ImportTestFiles {
    private ImportTestFiles() {
    }

    static String text(String name) {
        try (InputStream in = ImportTestFiles.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static AgentSpec agent(ImportResult r, String id) {
        return r.agents().stream().filter(a -> a.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no agent " + id + " in " + r.agents().stream()
                        .map(AgentSpec::id).collect(Collectors.joining(", ")) + "; problems: " + r.problems()));
    }

    static boolean noted(ImportResult r, String agent, String field) {
        return r.notCarried().stream().anyMatch(n -> n.agent().equals(agent) && n.field().equals(field));
    }

    static String describe(ImportResult r) {
        return "problems: " + r.problems() + "\nnotes: " + r.notCarried();
    }
}
