package dev.agentdeck.bench;

import java.util.List;
import java.util.Locale;

/**
 * The peer benchmark's table as Markdown: one row per figure, a column per manager with its median
 * (min–max), and AgentDeck's ratio to supervisord (default settings) and to PM2, median to median.
 */
final class PeerTable {
    private PeerTable() {
    }

    /** {@code managers} start with AgentDeck; {@code supervisord} and {@code pm2} name the ratio columns. */
    static String markdown(PeerResults results, List<String> managers, String supervisord, String pm2, int n,
                           int storm) {
        String deck = managers.get(0);
        StringBuilder t = new StringBuilder("| figure (N = " + n + ") |");
        managers.forEach(m -> t.append(' ').append(m).append(" |"));
        t.append(' ').append(deck).append(" \u00f7 ").append(supervisord).append(" | ").append(deck).append(" \u00f7 ")
                .append(pm2).append(" |\n|---|");
        t.append("---|".repeat(managers.size() + 2)).append('\n');
        for (Figure f : Figure.values()) {
            t.append("| ").append(f.text(n, storm)).append(" |");
            for (String m : managers) {
                t.append(' ').append(results.get(f, m).render(f)).append(" |");
            }
            t.append(' ').append(ratio(results, f, deck, supervisord)).append(" | ").append(ratio(results, f, deck, pm2))
                    .append(" |\n");
        }
        return t.toString();
    }

    private static String ratio(PeerResults results, Figure f, String deck, String peer) {
        PeerResults.Cell a = results.get(f, deck);
        PeerResults.Cell b = results.get(f, peer);
        if (!f.numeric() || !f.ratio() || a.values().isEmpty() || b.values().isEmpty() || b.median() == 0) {
            return "\u2013";
        }
        return String.format(Locale.ROOT, a.median() / b.median() < 0.1 ? "%.3f" : "%.2f", a.median() / b.median());
    }
}
