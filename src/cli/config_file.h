// --config FILE.toml: any option of a subcommand from a TOML file (keys are the option names with
// '_' for '-'); the command line wins. Values become ordinary arguments placed before the command
// line's, so they go through exactly the same parsing and checks.
#pragma once

#include <CLI/CLI.hpp>

#include <map>
#include <string>
#include <vector>

namespace sixg::cli {

struct ConfigFileArguments {
  std::vector<std::string> arguments;                 // e.g. {"--num-bs-ant=32", "--early-stop=true"}
  std::map<std::string, std::string> origin;          // option name -> "FILE line N, key K"
};

/// Reads `path` and converts its keys to arguments of `command`. Throws phy::invalid_config naming
/// "--config" with the file, line and key for an unreadable or malformed file, an unknown key or a
/// value of the wrong kind (tables, arrays of tables).
ConfigFileArguments read_config_file(const std::string& path, const CLI::App& command);

/// Finds "--config FILE" or "--config=FILE" among the arguments after the subcommand; empty if none.
std::string find_config_argument(int argc, char** argv);

}  // namespace sixg::cli
