// Memory cgroups made by tests: find the process's own group (through the probe's own
// locate_memory_cgroups, so tests and library agree on where it is), create a child group that is
// removed again at scope exit, write control files, and run a child process inside a group.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sixg/mem/system_probe.h"

namespace sixg::test {

/// The process's memory group of cgroup `version` (1 or 2), if that hierarchy exists.
std::optional<mem::CgroupLocation> own_memory_cgroup(int version);

/// Writes `text` to a cgroup control file with a single write(2), as the kernel expects; false on
/// any error (the kernel reports a refused value as a failed write).
bool write_control_file(const std::filesystem::path& path, const std::string& text);

/// A cgroup directory created by mkdir(2) and removed by rmdir(2) when the object goes away.
class ScopedCgroupDir {
 public:
  explicit ScopedCgroupDir(std::filesystem::path dir);
  ~ScopedCgroupDir();
  ScopedCgroupDir(const ScopedCgroupDir&) = delete;
  ScopedCgroupDir& operator=(const ScopedCgroupDir&) = delete;

  [[nodiscard]] bool created() const { return created_; }
  [[nodiscard]] std::string error() const;  // why mkdir failed
  [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  bool created_;
  int error_;
};

/// Prefix for run_sixg: a shell that moves itself into `group`, then execs the binary ($0) with its
/// arguments ($@).
std::vector<std::string> run_in_cgroup_prefix(const std::filesystem::path& group);

/// A cgroup v1 memory group below the process's own one, limited to `limit_bytes`.
class ScopedMemoryCgroup {
 public:
  /// Check ok(); why() says what failed (not root, no v1 memory hierarchy, read-only).
  explicit ScopedMemoryCgroup(std::uint64_t limit_bytes);

  [[nodiscard]] bool ok() const { return ok_; }
  [[nodiscard]] const std::string& why() const { return why_; }
  /// The kernel's count of OOM kills in the group (memory.oom_control "oom_kill", 0 if unknown).
  [[nodiscard]] std::uint64_t oom_kills() const;
  [[nodiscard]] std::vector<std::string> run_prefix() const { return run_in_cgroup_prefix(group_->dir()); }

 private:
  std::optional<ScopedCgroupDir> group_;
  bool ok_ = false;
  std::string why_;
};

}  // namespace sixg::test
