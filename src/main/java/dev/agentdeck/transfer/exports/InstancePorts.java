package dev.agentdeck.transfer.exports;

/**
 * Instance {@code i}'s port is {@code port + i - 1}, which no manager here can compute. It can still be written
 * as text when {@code port - 1} ends in as many zeros as N has digits: 8001 with N = 3 is "800" followed by the
 * instance number (8001..8003). {@link #prefix} gives that text, or null.
 */
final class InstancePorts {
    private InstancePorts() {
    }

    /** The text before the zero-padded instance number, or null when the ports are not written that way. */
    static String prefix(Integer port, int count) {
        if (port == null || count < 1) {
            return null;
        }
        int scale = (int) Math.pow(10, digits(count));
        int base = port - 1;
        return base > 0 && base % scale == 0 && base / scale > 0 ? Integer.toString(base / scale) : null;
    }

    /** How many digits instance numbers up to {@code count} have. */
    static int digits(int count) {
        return Integer.toString(count).length();
    }
}
