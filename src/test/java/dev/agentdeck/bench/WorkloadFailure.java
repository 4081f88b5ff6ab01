package dev.agentdeck.bench;

/** A workload that could not give its figure (a timeout, a refused command): the table shows the message. */
final class WorkloadFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Figure figure;

    WorkloadFailure(Figure figure, String message) {
        super(message);
        this.figure = figure;
    }

    Figure figure() {
        return figure;
    }
}
