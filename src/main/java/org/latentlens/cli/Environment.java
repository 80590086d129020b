package org.latentlens.cli;

/** Process-wide settings every command needs before DJL is touched. */
final class Environment {
    private Environment() {
    }

    /** Keeps DJL offline (it otherwise contacts remote hosts at start-up) and quiet. */
    static void configure() {
        org.latentlens.LatentLens.configureOffline();
    }
}
