package dev.agentdeck.health;

import dev.agentdeck.core.HealthCheckSpec;

import java.util.concurrent.CompletableFuture;

/**
 * One kind of health probe. {@link #run()} is called on a probe thread: it may block (a TCP connect) but
 * never past the check's timeout, and its future completes within it (a probe that hangs is cut at it).
 */
public sealed interface HealthProbe permits HttpProbe, TcpProbe, CommandProbe {
    CompletableFuture<ProbeResult> run();

    /** The probe for a check of an agent. */
    static HealthProbe of(HealthCheckSpec spec, ProbeContext ctx) {
        long timeout = spec.timing().timeoutMs();
        if (spec instanceof HealthCheckSpec.Http http) {
            return new HttpProbe(http.endpoint(), timeout, ctx);
        }
        if (spec instanceof HealthCheckSpec.Tcp tcp) {
            return new TcpProbe(tcp.host(), tcp.port() != null ? tcp.port() : ctx.agentPort(), timeout, ctx);
        }
        return new CommandProbe(((HealthCheckSpec.Command) spec).command(), timeout, ctx);
    }
}
