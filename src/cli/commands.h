// One registration function per subcommand (one file each), so the CLI grows with the features.
// Each adds its CLI11 subcommand with its options and returns the action to run once parsed; the
// action returns the process exit code (cli_app.h).
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace sixg::cli {

using CommandAction = std::function<int()>;

CommandAction add_memory_command(CLI::App& app);
CommandAction add_simulate_command(CLI::App& app);
CommandAction add_estimate_command(CLI::App& app);
CommandAction add_plan_command(CLI::App& app);

}  // namespace sixg::cli
