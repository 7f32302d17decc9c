#include "support/scoped_cgroup.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace sixg::test {
namespace {

std::string v1_memory_group_of_self() {
  std::ifstream in("/proc/self/cgroup");
  std::string line;
  while (std::getline(in, line)) {
    const auto a = line.find(':'), b = line.find(':', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    const std::string controllers = line.substr(a + 1, b - a - 1);
    std::stringstream list(controllers);
    std::string c;
    while (std::getline(list, c, ',')) {
      if (c == "memory") return line.substr(b + 1);
    }
  }
  return {};
}

bool write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  out.flush();
  return static_cast<bool>(out);
}

}  // namespace

ScopedMemoryCgroup::ScopedMemoryCgroup(std::uint64_t limit_bytes) {
  if (::geteuid() != 0) {
    why_ = "not root";
    return;
  }
  const std::string mount = "/sys/fs/cgroup/memory";
  const std::string own = v1_memory_group_of_self();
  struct stat st {};
  if (own.empty() || ::stat((mount + own).c_str(), &st) != 0) {
    why_ = "no cgroup v1 memory hierarchy at " + mount;
    return;
  }
  path_ = mount + own + "/sixg_test_" + std::to_string(::getpid());
  if (::mkdir(path_.c_str(), 0755) != 0) {
    why_ = "cannot create " + path_ + ": " + std::strerror(errno);
    path_.clear();
    return;
  }
  if (!write_text(path_ + "/memory.limit_in_bytes", std::to_string(limit_bytes))) {
    why_ = "cannot set memory.limit_in_bytes in " + path_;
    return;
  }
  // No swap either, where the kernel offers the knob: the limit must bind on real memory.
  write_text(path_ + "/memory.memsw.limit_in_bytes", std::to_string(limit_bytes));
  ok_ = true;
}

ScopedMemoryCgroup::~ScopedMemoryCgroup() {
  if (!path_.empty()) ::rmdir(path_.c_str());
}

std::uint64_t ScopedMemoryCgroup::oom_kills() const {
  std::ifstream in(path_ + "/memory.oom_control");
  std::string key;
  std::uint64_t value = 0;
  while (in >> key >> value) {
    if (key == "oom_kill") return value;
  }
  return 0;
}

std::vector<std::string> ScopedMemoryCgroup::run_prefix() const {
  return {"sh", "-c", "echo $$ > " + path_ + "/cgroup.procs && exec \"$0\" \"$@\""};
}

}  // namespace sixg::test
