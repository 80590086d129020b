package org.latentlens;

/**
 * The facade a notebook user types first: load a model, get hidden states, build and search an index.
 */
public final class LatentLens {
    private LatentLens() {
    }

    /**
     * Makes sure DJL never reaches for the network: without this it contacts a metadata endpoint and a
     * telemetry URL at start-up. Called by every entry point; harmless to call again.
     */
    public static void configureOffline() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
    }
}
