package dev.agentdeck.transfer.imports;

import dev.agentdeck.transfer.ImportFormat;
import dev.agentdeck.transfer.ImportResult;

public final class Pm2Reader {
    public static ImportResult read(String text, String source) {
        return new Collector(ImportFormat.PM2, source).result();
    }
}
