// Runs the built `sixg` executable as a user would and captures its exit code and output.
#pragma once

#include <string>
#include <vector>

namespace sixg::test {

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

/// Runs SIXG_BINARY with `args` (no shell), optional `prefix` (e.g. {"env", "X=1"}) before it.
CommandResult run_sixg(const std::vector<std::string>& args, const std::vector<std::string>& prefix = {});

}  // namespace sixg::test
