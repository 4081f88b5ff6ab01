package dev.agentdeck.cli;

import java.util.List;

/** A failed {@code ctl} call: the message (the server's error text when it answered) and its exit code. */
public final class CtlException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int exitCode;
    private final transient List<String> details;

    public CtlException(String message, List<String> details, int exitCode) {
        super(message);
        this.details = details == null ? List.of() : List.copyOf(details);
        this.exitCode = exitCode;
    }

    public CtlException(String message) {
        this(message, List.of(), 1);
    }

    public List<String> details() {
        return details;
    }

    public int exitCode() {
        return exitCode;
    }
}
