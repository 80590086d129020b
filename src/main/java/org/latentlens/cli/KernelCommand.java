package org.latentlens.cli;

import org.latentlens.notebook.KernelInstaller;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code latentlens kernel install [--user | --prefix DIR]}: registers the LatentLens Jupyter kernel.
 */
@Command(name = "kernel", description = "Manage the LatentLens Jupyter kernel.",
        subcommands = {KernelCommand.Install.class}, mixinStandardHelpOptions = true)
public final class KernelCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** Where to install: the user's Jupyter folder, or a prefix. */
    static final class Target {
        @Option(names = "--user", description = "Install for the current user (the default).")
        boolean user;

        @Option(names = "--prefix", paramLabel = "DIR",
                description = "Install into DIR/share/jupyter/kernels (put DIR/share/jupyter on JUPYTER_PATH).")
        Path prefix;
    }

    /** Writes kernel.json. */
    @Command(name = "install", mixinStandardHelpOptions = true,
            description = "Install the kernel: kernel.json with this LatentLens jar and its dependencies on the classpath.")
    static final class Install implements Callable<Integer> {
        @ArgGroup(exclusive = true)
        Target target;

        @Option(names = "--name", defaultValue = KernelInstaller.DEFAULT_NAME,
                description = "Kernel name, as notebooks reference it (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--display-name", description = "Name shown in Jupyter's kernel menu.")
        String displayName;

        @Option(names = "--java-option", paramLabel = "OPT",
                description = "Extra JVM option for the kernel, e.g. --java-option=-Xmx8g (repeatable).")
        List<String> javaOptions = new ArrayList<>();

        @Option(names = "--copy-jars", description = "Copy the jars into the kernel folder (survives mvn clean).")
        boolean copyJars;

        @Override
        public Integer call() throws Exception {
            KernelInstaller.Builder b = KernelInstaller.builder().name(name).copyJars(copyJars);
            if (target != null && target.prefix != null) {
                b.prefix(target.prefix);
            }
            if (displayName != null) {
                b.displayName(displayName);
            }
            javaOptions.forEach(b::javaOption);
            Path dir = b.build().install();
            System.out.println("Installed kernel '" + name + "' in " + dir);
            if (target != null && target.prefix != null) {
                System.out.println("Use it with: JUPYTER_PATH=" + target.prefix.toAbsolutePath().resolve("share/jupyter")
                        + " jupyter notebook");
            }
            return 0;
        }
    }
}
