package org.latentlens.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code latentlens bench}: speed and memory measurements, one sub-command per workload. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure speed and memory: search, make-bank (and, from the model runtime, forward and build).",
        subcommands = {BenchSearchCommand.class, BenchMakeBankCommand.class})
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
