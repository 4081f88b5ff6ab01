package dev.agentdeck.ui.badges;

import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.Health;

/**
 * What a badge shows for a state and health: a colour (as a style class), a glyph and a word, so the
 * meaning never rests on colour alone.
 */
public enum BadgeKind {
    RUNNING("badge-running", "\u25CF"),      // green, filled circle
    TRANSITION("badge-transition", "\u25D4"), // yellow, circle with a quarter
    STOPPED("badge-stopped", "\u25CB"),      // gray, empty circle
    FAILED("badge-failed", "\u2716"),        // red, heavy x
    UNHEALTHY("badge-unhealthy", "\u26A0"),  // orange, warning sign
    PAUSED("badge-paused", "\u275A\u275A");  // blue, pause bars

    private final String styleClass;
    private final String glyph;

    BadgeKind(String styleClass, String glyph) {
        this.styleClass = styleClass;
        this.glyph = glyph;
    }

    public String styleClass() {
        return styleClass;
    }

    public String glyph() {
        return glyph;
    }

    /** The kind for a state and health; a request in flight shows as a transition at once. */
    public static BadgeKind of(AgentState state, Health health, boolean requestInFlight) {
        if (requestInFlight) {
            return TRANSITION;
        }
        return switch (state) {
            case RUNNING -> health == Health.UNHEALTHY ? UNHEALTHY : RUNNING;
            case STARTING, STOPPING, BACKOFF -> TRANSITION;
            case STOPPED, EXITED -> STOPPED;
            case FAILED, FATAL -> FAILED;
            case PAUSED -> PAUSED;
        };
    }
}
