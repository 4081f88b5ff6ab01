package dev.agentdeck.ui;

import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.Health;
import dev.agentdeck.ui.badges.BadgeKind;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The badge colours of DESIGN.md, each with its own glyph. */
class BadgeKindTest {
    @Test
    void statesAndHealthMapToTheDesignedColours() {
        assertEquals(BadgeKind.RUNNING, BadgeKind.of(AgentState.RUNNING, Health.HEALTHY, false));
        assertEquals(BadgeKind.RUNNING, BadgeKind.of(AgentState.RUNNING, Health.UNKNOWN, false));
        assertEquals(BadgeKind.UNHEALTHY, BadgeKind.of(AgentState.RUNNING, Health.UNHEALTHY, false));
        for (AgentState s : EnumSet.of(AgentState.STARTING, AgentState.STOPPING, AgentState.BACKOFF)) {
            assertEquals(BadgeKind.TRANSITION, BadgeKind.of(s, Health.UNKNOWN, false), s.name());
        }
        assertEquals(BadgeKind.STOPPED, BadgeKind.of(AgentState.STOPPED, Health.UNKNOWN, false));
        assertEquals(BadgeKind.STOPPED, BadgeKind.of(AgentState.EXITED, Health.UNKNOWN, false));
        assertEquals(BadgeKind.FAILED, BadgeKind.of(AgentState.FAILED, Health.UNKNOWN, false));
        assertEquals(BadgeKind.FAILED, BadgeKind.of(AgentState.FATAL, Health.UNKNOWN, false));
        assertEquals(BadgeKind.PAUSED, BadgeKind.of(AgentState.PAUSED, Health.UNKNOWN, false));
        assertEquals(BadgeKind.TRANSITION, BadgeKind.of(AgentState.STOPPED, Health.UNKNOWN, true), "a click shows at once");
    }

    @Test
    void everyKindHasItsOwnGlyphSoColourIsNeverAlone() {
        Set<String> glyphs = new HashSet<>();
        for (BadgeKind k : BadgeKind.values()) {
            assertTrue(glyphs.add(k.glyph()), k + " shares a glyph");
        }
    }
}
