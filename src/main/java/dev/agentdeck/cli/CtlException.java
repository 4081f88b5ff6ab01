package dev.agentdeck.cli;

import java.util.List;

/** A failed {@code ctl} call: the message (the server's error text when it answered) and its exit code. */
public final class CtlException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int exitCode;
    private final transient List<String> details;
    private final int status;
    private final String code;

    public CtlException(String message, List<String> details, int exitCode) {
        this(message, details, exitCode, 0, null);
    }

    /**
     * @param status the HTTP status the server answered with (0 when it was not reached)
     * @param code   the envelope's error code, e.g. {@code not_found} (null when there was none)
     */
    public CtlException(String message, List<String> details, int exitCode, int status, String code) {
        super(message);
        this.details = details == null ? List.of() : List.copyOf(details);
        this.exitCode = exitCode;
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
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
