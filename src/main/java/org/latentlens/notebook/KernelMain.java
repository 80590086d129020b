package org.latentlens.notebook;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernel process's entry point, named in {@code kernel.json}: {@code java ... KernelMain {connection_file}}.
 */
public final class KernelMain {
    private KernelMain() {
    }

    /**
     * Connects to Jupyter and serves until shut down.
     *
     * @param args the connection file written by Jupyter
     * @throws Exception when the connection file cannot be read or the sockets cannot be bound
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: KernelMain CONNECTION_FILE (Jupyter passes it; see `latentlens kernel install`)");
            System.exit(2);
        }
        org.latentlens.LatentLens.configureOffline();
        KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(Path.of(args[0])));
        JupyterConnection connection = new JupyterConnection(props);
        LatentLensKernel kernel = LatentLensKernel.create();
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        kernel.onStartup();
        connection.waitUntilClose();
        // Non-daemon threads (a user's executor, DJL's) must not keep a shut-down kernel alive.
        System.exit(0);
    }

    /** @return the LatentLens version from the jar manifest, or "dev" when run from classes */
    static String version() {
        String v = KernelMain.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
