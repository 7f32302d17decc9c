// A cgroup v1 memory group with a limit, created under this process's own group for a test and
// removed afterwards; and the command prefix that runs a child inside it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sixg::test {

class ScopedMemoryCgroup {
 public:
  /// Tries to create the group with memory.limit_in_bytes = limit_bytes. Check ok(); why() says
  /// what failed (not root, no v1 memory hierarchy, read-only).
  explicit ScopedMemoryCgroup(std::uint64_t limit_bytes);
  ~ScopedMemoryCgroup();
  ScopedMemoryCgroup(const ScopedMemoryCgroup&) = delete;
  ScopedMemoryCgroup& operator=(const ScopedMemoryCgroup&) = delete;

  [[nodiscard]] bool ok() const { return ok_; }
  [[nodiscard]] const std::string& why() const { return why_; }
  [[nodiscard]] const std::string& path() const { return path_; }
  /// The kernel's count of OOM kills in the group (memory.oom_control "oom_kill", 0 if unknown).
  [[nodiscard]] std::uint64_t oom_kills() const;
  /// Prefix for run_sixg: a shell that moves itself into the group, then execs the binary.
  [[nodiscard]] std::vector<std::string> run_prefix() const;

 private:
  std::string path_;
  bool ok_ = false;
  std::string why_;
};

}  // namespace sixg::test
