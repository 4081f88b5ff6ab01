package dev.agentdeck.os;

/** One process's figures, re-readable until closed; see {@link ProcessTable#open(long)}. */
public interface ProcStat extends AutoCloseable {
    /** The process now, or null once it has ended. */
    ProcInfo read();

    @Override
    void close();
}
