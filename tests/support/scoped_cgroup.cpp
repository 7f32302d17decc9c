#include "support/scoped_cgroup.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace sixg::test {

std::optional<mem::CgroupLocation> own_memory_cgroup(int version) {
  for (const auto& location : mem::locate_memory_cgroups("/")) {
    if (location.version == version) return location;
  }
  return std::nullopt;
}

bool write_control_file(const std::filesystem::path& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  return ::close(fd) == 0 && written;
}

ScopedCgroupDir::ScopedCgroupDir(std::filesystem::path dir)
    : dir_(std::move(dir)), created_(::mkdir(dir_.c_str(), 0755) == 0), error_(created_ ? 0 : errno) {}

ScopedCgroupDir::~ScopedCgroupDir() {
  if (created_) ::rmdir(dir_.c_str());
}

std::string ScopedCgroupDir::error() const { return std::strerror(error_); }

std::vector<std::string> run_in_cgroup_prefix(const std::filesystem::path& group) {
  return {"sh", "-c", "echo $$ > '" + (group / "cgroup.procs").string() + "' && exec \"$0\" \"$@\""};
}

ScopedMemoryCgroup::ScopedMemoryCgroup(std::uint64_t limit_bytes) {
  if (::geteuid() != 0) {
    why_ = "not root";
    return;
  }
  const auto own = own_memory_cgroup(1);
  if (!own) {
    why_ = "no cgroup v1 memory hierarchy";
    return;
  }
  group_.emplace(own->directory / ("sixg_test_" + std::to_string(::getpid())));
  if (!group_->created()) {
    why_ = "cannot create " + group_->dir().string() + ": " + group_->error();
    return;
  }
  if (!write_control_file(group_->dir() / "memory.limit_in_bytes", std::to_string(limit_bytes))) {
    why_ = "cannot set memory.limit_in_bytes in " + group_->dir().string();
    return;
  }
  // No swap either, where the kernel offers the knob: the limit must bind on real memory.
  write_control_file(group_->dir() / "memory.memsw.limit_in_bytes", std::to_string(limit_bytes));
  ok_ = true;
}

std::uint64_t ScopedMemoryCgroup::oom_kills() const {
  std::ifstream in(group_->dir() / "memory.oom_control");
  std::string key;
  std::uint64_t value = 0;
  while (in >> key >> value) {
    if (key == "oom_kill") return value;
  }
  return 0;
}

}  // namespace sixg::test
