package org.latentlens.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code latentlens} command line. Each sub-command lives in its own class.
 */
@Command(name = "latentlens", mixinStandardHelpOptions = true, version = "LatentLens for Java 0.1.0",
        description = "Interpret transformer hidden states by their nearest neighbours in a bank of contextual embeddings.",
        subcommands = {
                DemoCommand.class,
                HiddenStatesCommand.class,
                BenchCommand.class,
                ImportCommand.class,
                BuildIndexCommand.class,
                SearchCommand.class,
                MakeConceptsCommand.class,
                KernelCommand.class,
                DownloadCommand.class,
                InterpretImageCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Runs the command line.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the command line without exiting, for tests.
     *
     * @param args command-line arguments
     * @return the exit code
     */
    public static int run(String... args) {
        Environment.configure();
        return new CommandLine(new Main()).setExecutionExceptionHandler(new ErrorHandler()).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
