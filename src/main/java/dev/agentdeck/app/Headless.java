package dev.agentdeck.app;

/**
 * Runs the panel without a display: Monocle's headless glass and the software renderer. The installed app
 * ships Monocle for this (its smoke test and its class-data training run need no X server).
 */
public final class Headless {
    static final String PLATFORM_FACTORY = "com/sun/glass/ui/monocle/HeadlessPlatformFactory.class";

    private Headless() {
    }

    /** Sets the toolkit's properties; call before the JavaFX toolkit starts. */
    public static void configure() {
        if (Headless.class.getClassLoader().getResource(PLATFORM_FACTORY) == null) {
            throw new IllegalStateException("--headless needs Monocle (openjfx-monocle) on the class path;"
                    + " this build does not have it");
        }
        System.setProperty("glass.platform", "Monocle");
        System.setProperty("monocle.platform", "Headless");
        System.setProperty("prism.order", "sw");
        System.setProperty("java.awt.headless", "true");
    }
}
