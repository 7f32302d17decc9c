// Acceptance on the real kernel: a process inside a memory cgroup limited to 300 MiB sees exactly
// that limit, and its effective available memory stays within it. The limit is put on an outer
// group and the process joins an unlimited inner group, so the probe must walk up to the ancestor.
//
// Needs root and a writable memory hierarchy (v1 memory controller, or v2 with the memory
// controller delegable to a child); elsewhere each test skips and says why. The groups are created
// under the test's own group and removed afterwards. The probe runs in a forked child that joins
// the group, so the test process itself never moves.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <optional>
#include <string>
#include <utility>

#include "sixg/mem/system_probe.h"
#include "support/scoped_cgroup.h"

namespace {

namespace fs = std::filesystem;
constexpr std::uint64_t kLimit = std::uint64_t{300} << 20;

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool has_word(const std::string& text, const std::string& word) {
  std::istringstream in(text);
  std::string w;
  while (in >> w) {
    if (w == word) return true;
  }
  return false;
}

/// What the child saw, passed back through a pipe.
struct ChildReport {
  bool joined = false;
  bool has_cgroup = false;
  int version = 0;
  std::uint64_t limit_bytes = 0;
  std::uint64_t usage_bytes = 0;
  std::uint64_t available_bytes = 0;
  std::uint64_t effective_available_bytes = 0;
  std::uint64_t free_function_effective_bytes = 0;
  char path[512] = {};
};

/// Forks a child that moves itself into `group` and probes; returns what it reported.
ChildReport probe_inside(const fs::path& group) {
  int fds[2];
  if (::pipe(fds) != 0) ADD_FAILURE() << "pipe: " << std::strerror(errno);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    ChildReport report;
    report.joined = sixg::test::write_control_file(group / "cgroup.procs", std::to_string(::getpid()));
    if (report.joined) {
      const auto status = sixg::mem::SystemProbe{}.status(false);
      report.has_cgroup = status.cgroup.has_value();
      if (status.cgroup) {
        report.version = status.cgroup->version;
        report.limit_bytes = status.cgroup->limit_bytes;
        report.usage_bytes = status.cgroup->usage_bytes;
        std::strncpy(report.path, status.cgroup->path.c_str(), sizeof report.path - 1);
      }
      report.available_bytes = status.system.available_bytes;
      report.effective_available_bytes = status.effective_available_bytes;
      report.free_function_effective_bytes = sixg::mem::effective_available_bytes();
    }
    const bool sent = ::write(fds[1], &report, sizeof report) == static_cast<ssize_t>(sizeof report);
    ::_exit(sent ? 0 : 1);
  }
  ::close(fds[1]);
  ChildReport report;
  const bool received = ::read(fds[0], &report, sizeof report) == static_cast<ssize_t>(sizeof report);
  ::close(fds[0]);
  int wstatus = 0;
  ::waitpid(pid, &wstatus, 0);
  EXPECT_TRUE(received && WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0) << "child failed";
  return report;
}

/// `own_path` is the test's own group inside its hierarchy; `outer` the limited group created below it.
void expect_limit_seen(const ChildReport& report, int version, const std::string& own_path, const fs::path& outer) {
  ASSERT_TRUE(report.joined) << "could not join " << outer / "inner";
  ASSERT_TRUE(report.has_cgroup) << "no cgroup limit seen inside a " << (kLimit >> 20) << " MiB group";
  EXPECT_EQ(report.version, version);
  EXPECT_EQ(report.limit_bytes, kLimit);
  // The binding level is the outer group (the inner one has no limit): the path is the outer
  // group's path inside its hierarchy.
  EXPECT_EQ((own_path == "/" ? "" : own_path) + "/" + outer.filename().string(), std::string(report.path));
  EXPECT_LE(report.usage_bytes, kLimit);
  EXPECT_LE(report.effective_available_bytes, kLimit);
  EXPECT_EQ(report.effective_available_bytes, std::min(report.available_bytes, kLimit - report.usage_bytes));
  EXPECT_LE(report.free_function_effective_bytes, kLimit);
}

TEST(CgroupLimit, V1LimitOnAnAncestorBindsTheProcess) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to create cgroups";
  const auto own = sixg::test::own_memory_cgroup(1);
  if (!own) GTEST_SKIP() << "no cgroup v1 memory hierarchy";
  sixg::test::ScopedCgroupDir outer(own->directory / ("sixg_test_" + std::to_string(::getpid())));
  if (!outer.created()) GTEST_SKIP() << "cannot create " << outer.dir() << ": " << outer.error();
  if (!sixg::test::write_control_file(outer.dir() / "memory.limit_in_bytes", std::to_string(kLimit))) {
    GTEST_SKIP() << "cannot set memory.limit_in_bytes in " << outer.dir();
  }
  sixg::test::ScopedCgroupDir inner(outer.dir() / "inner");
  ASSERT_TRUE(inner.created()) << inner.error();

  const ChildReport report = probe_inside(inner.dir());
  expect_limit_seen(report, 1, own->path, outer.dir());
}

TEST(CgroupLimit, V2LimitOnAnAncestorBindsTheProcess) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to create cgroups";
  const auto own = sixg::test::own_memory_cgroup(2);
  if (!own) GTEST_SKIP() << "no cgroup v2 hierarchy";
  if (!has_word(read_file(own->directory / "cgroup.controllers"), "memory")) {
    GTEST_SKIP() << "no v2 memory controller in " << own->directory;
  }
  // Child groups get memory files only when the parent delegates the controller. A non-root group
  // that holds processes cannot (the "no internal processes" rule), so that case skips.
  const fs::path subtree_control = own->directory / "cgroup.subtree_control";
  const bool delegated_before = has_word(read_file(subtree_control), "memory");
  if (!delegated_before && !sixg::test::write_control_file(subtree_control, "+memory")) {
    GTEST_SKIP() << "cannot delegate the memory controller below " << own->directory;
  }
  struct Undelegate {
    fs::path file;
    bool active;
    ~Undelegate() {
      if (active) sixg::test::write_control_file(file, "-memory");
    }
  } undelegate{subtree_control, !delegated_before};

  sixg::test::ScopedCgroupDir outer(own->directory / ("sixg_test_" + std::to_string(::getpid())));
  if (!outer.created()) GTEST_SKIP() << "cannot create " << outer.dir() << ": " << outer.error();
  if (!sixg::test::write_control_file(outer.dir() / "memory.max", std::to_string(kLimit))) {
    GTEST_SKIP() << "cannot set memory.max in " << outer.dir();
  }
  sixg::test::ScopedCgroupDir inner(outer.dir() / "inner");
  ASSERT_TRUE(inner.created()) << inner.error();

  const ChildReport report = probe_inside(inner.dir());
  expect_limit_seen(report, 2, own->path, outer.dir());
}

}  // namespace
