package dev.agentdeck.process;

import dev.agentdeck.discovery.PortOwners;
import dev.agentdeck.os.ProcessTable;

import java.nio.file.Path;
import java.util.Optional;

/** Who listens on a port, said the way messages say it: {@code PID 4242: nginx}. */
final class PortHolder {
    private PortHolder() {
    }

    /** The holder of {@code port} unless it is {@code ownPid} or one of its descendants; empty when free. */
    static Optional<String> of(Integer port, ProcessTable table, Long ownPid) {
        if (port == null || !PortOwners.taken(port)) {
            return Optional.empty();
        }
        Optional<Long> owner = PortOwners.ownerOf(port);
        if (owner.isPresent() && ownPid != null && isSelfOrDescendant(owner.get(), ownPid)) {
            return Optional.empty();
        }
        return Optional.of(owner.map(pid -> "PID " + pid + ": " + table.commandLine(pid)
                        .map(a -> a.isEmpty() ? "?" : Path.of(a.get(0)).getFileName().toString()).orElse("?"))
                .orElse("a process AgentDeck may not inspect"));
    }

    private static boolean isSelfOrDescendant(long pid, long ancestor) {
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        while (p.isPresent()) {
            if (p.get().pid() == ancestor) {
                return true;
            }
            p = p.get().parent();
        }
        return false;
    }
}
