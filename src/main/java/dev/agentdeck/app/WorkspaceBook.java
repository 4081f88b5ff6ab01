package dev.agentdeck.app;

import dev.agentdeck.config.AtomicFiles;
import dev.agentdeck.config.Json;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the panel remembers about workspaces ({@code workspaces.json} beside the first home's panel.json): the
 * other homes and engines it showed, and what closing the window does with engines it owns ("ask" until the user
 * chose once). A file that does not read is moved aside (never overwritten) and the defaults are used.
 *
 * @param closeAction ask, handover, leave or stop
 * @param entries     the workspaces besides the first, in the sidebar's order
 */
public record WorkspaceBook(String closeAction, List<Entry> entries) {
    /** A remembered workspace: a home folder, or an engine's URL with the file holding its token. */
    public record Entry(String home, String url, String tokenFile) {
    }

    public static final WorkspaceBook DEFAULT = new WorkspaceBook("ask", List.of());

    public WorkspaceBook {
        closeAction = closeAction == null ? "ask" : closeAction;
        entries = entries == null ? List.of() : List.copyOf(entries);
    }

    /** The close action as the engine session knows it, or null while the user has not chosen. */
    public EngineSession.CloseAction action() {
        return switch (closeAction) {
            case "handover" -> EngineSession.CloseAction.HAND_OVER;
            case "leave" -> EngineSession.CloseAction.LEAVE_RUNNING;
            case "stop" -> EngineSession.CloseAction.STOP_ALL;
            default -> null;
        };
    }

    public static String name(EngineSession.CloseAction a) {
        return switch (a) {
            case HAND_OVER -> "handover";
            case LEAVE_RUNNING -> "leave";
            case STOP_ALL -> "stop";
        };
    }

    public WorkspaceBook withAction(EngineSession.CloseAction a) {
        return new WorkspaceBook(name(a), entries);
    }

    public WorkspaceBook with(Entry e) {
        List<Entry> next = new ArrayList<>(entries);
        next.remove(e);
        next.add(e);
        return new WorkspaceBook(closeAction, next);
    }

    public WorkspaceBook without(Entry e) {
        List<Entry> next = new ArrayList<>(entries);
        next.remove(e);
        return new WorkspaceBook(closeAction, next);
    }

    public static WorkspaceBook load(Path file) {
        if (!Files.exists(file)) {
            return DEFAULT;
        }
        try {
            return Json.WIRE.readValue(Files.readAllBytes(file), WorkspaceBook.class);
        } catch (IOException | RuntimeException e) {
            // kept, not overwritten by the next save: moved aside where the user can mend it
            Path aside = file.resolveSibling(file.getFileName() + ".unreadable-" + System.currentTimeMillis());
            try {
                Files.move(file, aside);
            } catch (IOException moveFailed) {
                aside = file;
            }
            LoggerFactory.getLogger(WorkspaceBook.class).warn("{} could not be read ({}); kept as {}, using the defaults",
                    file, e.toString(), aside);
            return DEFAULT;
        }
    }

    public void save(Path file) {
        try {
            AtomicFiles.write(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(this), false);
        } catch (IOException e) {
            LoggerFactory.getLogger(WorkspaceBook.class).warn("{} could not be saved: {}", file, e.toString());
        }
    }
}
