#include "support/run_command.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <csignal>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace sixg::test {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

namespace {

CommandResult spawn_and_wait(const std::vector<std::string>& args, const std::vector<std::string>& prefix,
                             double interrupt_after_s) {
  std::vector<std::string> argv_strings = prefix;
  argv_strings.emplace_back(SIXG_BINARY);
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);

  // Output goes to temporary files: pipes could fill up and block a long-running child.
  char out_path[] = "/tmp/sixg_test_out_XXXXXX";
  char err_path[] = "/tmp/sixg_test_err_XXXXXX";
  int out_fd = mkstemp(out_path);
  int err_fd = mkstemp(err_path);
  if (out_fd < 0 || err_fd < 0) throw std::runtime_error("mkstemp failed");

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_fd, STDERR_FILENO);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out_fd);
  close(err_fd);
  CommandResult result;
  if (rc == 0) {
    if (interrupt_after_s > 0) {
      usleep(static_cast<useconds_t>(interrupt_after_s * 1e6));
      kill(pid, SIGINT);
    }
    int status = 0;
    struct rusage usage {};
    wait4(pid, &status, 0, &usage);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result.max_rss_kib = usage.ru_maxrss;
  }
  result.out = slurp(out_path);
  result.err = slurp(err_path);
  unlink(out_path);
  unlink(err_path);
  return result;
}

}  // namespace

CommandResult run_sixg(const std::vector<std::string>& args, const std::vector<std::string>& prefix) {
  return spawn_and_wait(args, prefix, 0.0);
}

CommandResult run_sixg_interrupted(const std::vector<std::string>& args, double interrupt_after_s) {
  return spawn_and_wait(args, {}, interrupt_after_s);
}

}  // namespace sixg::test
