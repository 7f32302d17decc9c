// Runs the built `sixg` executable as a user would and captures its exit code and output.
#pragma once

#include <string>
#include <vector>

namespace sixg::test {

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
  long max_rss_kib = 0;  // the child's peak RSS as the kernel reports it to the parent (wait4 rusage)
};

/// Runs SIXG_BINARY with `args` (no shell), optional `prefix` (e.g. {"env", "X=1"}) before it.
CommandResult run_sixg(const std::vector<std::string>& args, const std::vector<std::string>& prefix = {});

/// Like run_sixg, but sends SIGINT to the child after `interrupt_after_s` seconds.
CommandResult run_sixg_interrupted(const std::vector<std::string>& args, double interrupt_after_s);

}  // namespace sixg::test
