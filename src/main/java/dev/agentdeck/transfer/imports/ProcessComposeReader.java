package dev.agentdeck.transfer.imports;

import dev.agentdeck.transfer.ImportFormat;
import dev.agentdeck.transfer.ImportResult;

public final class ProcessComposeReader {
    public static ImportResult read(String text, String source) {
        return new Collector(ImportFormat.PROCESS_COMPOSE, source).result();
    }
}
