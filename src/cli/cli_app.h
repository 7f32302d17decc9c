// The `sixg` command line (DESIGN §4): parsing, dispatch to subcommands, exit codes.
#pragma once

namespace sixg::cli {

/// Exit codes of the contract (DESIGN §4).
enum ExitCode : int { kExitOk = 0, kExitBadInput = 2, kExitBudget = 3, kExitInterrupted = 130 };

/// Parses argv, runs the chosen subcommand and returns the process exit code.
int run_cli(int argc, char** argv);

}  // namespace sixg::cli
