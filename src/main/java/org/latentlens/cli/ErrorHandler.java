package org.latentlens.cli;

import picocli.CommandLine;

/**
 * Prints a user-facing error in one line (the exception's message names the file, tensor or field),
 * and the stack trace only when {@code LATENTLENS_DEBUG} is set.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
        cmd.getErr().println("latentlens " + cmd.getCommandName() + ": error: " + msg);
        if (System.getenv("LATENTLENS_DEBUG") != null) {
            ex.printStackTrace(cmd.getErr());
        }
        return 1;
    }
}
