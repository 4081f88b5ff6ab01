package dev.agentdeck.bench;

import java.nio.file.Path;

/**
 * The peer benchmark's command line: {@code --agents N} (100), {@code --rounds R} (3), {@code --idle-seconds}
 * (60), {@code --crash-seconds} (60), {@code --warmup-seconds} before the idle window (10),
 * {@code --storm-agents} (20), {@code --out FILE} (target/bench/peers.md), {@code --readme FILE}
 * (README.md; "none" leaves every README alone).
 */
record PeerOptions(int agents, int rounds, int idleSeconds, int crashSeconds, int warmupSeconds, int stormAgents,
                   Path out, Path readme) {
    static PeerOptions parse(String[] args) {
        String readme = BenchSupport.stringArg(args, "--readme", "README.md");
        return new PeerOptions(BenchSupport.intArg(args, "--agents", 100), BenchSupport.intArg(args, "--rounds", 3),
                BenchSupport.intArg(args, "--idle-seconds", 60), BenchSupport.intArg(args, "--crash-seconds", 60),
                BenchSupport.intArg(args, "--warmup-seconds", 10), BenchSupport.intArg(args, "--storm-agents", 20),
                Path.of(BenchSupport.stringArg(args, "--out", "target/bench/peers.md")),
                readme.equals("none") ? null : Path.of(readme));
    }

    @Override
    public String toString() {
        return "--agents " + agents + " --rounds " + rounds + " --idle-seconds " + idleSeconds + " --crash-seconds "
                + crashSeconds + " --warmup-seconds " + warmupSeconds + " --storm-agents " + stormAgents;
    }
}
