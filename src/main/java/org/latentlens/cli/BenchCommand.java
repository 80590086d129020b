package org.latentlens.cli;

import picocli.CommandLine.Command;

/** {@code latentlens bench ...}: benchmarks that print figures. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks: forward throughput, index search and build.",
        subcommands = {BenchForwardCommand.class, BenchBuildCommand.class, MakeBenchModelCommand.class, BenchSearchCommand.class,
                BenchMakeBankCommand.class})
public final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
