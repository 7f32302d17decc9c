// The process's resident set from /proc/self/status (include/sixg/mem/process_memory.h).
#include "sixg/mem/process_memory.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>

#include "cgroup_reader.h"

namespace sixg::mem {

std::optional<ProcessMemory> parse_proc_status(std::string_view status_text) {
  const auto rss = detail::find_kib_field(status_text, "VmRSS");
  if (!rss) return std::nullopt;
  // The kernel prints VmHWM >= VmRSS, but a status text without VmHWM (or an inconsistent one)
  // must still give peak >= current: consumers subtract one from the other.
  const auto hwm = detail::find_kib_field(status_text, "VmHWM");
  return ProcessMemory{*rss, std::max(hwm.value_or(0), *rss)};
}

ProcessMemory read_process_memory() {
  const auto text = detail::read_text_file("/proc/self/status");
  if (!text) return {};
  return parse_proc_status(*text).value_or(ProcessMemory{});
}

bool reset_peak_rss() {
  // "5" resets the peak RSS (VmHWM) to the current RSS; other values clear page flags instead.
  const int fd = ::open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool written = ::write(fd, "5", 1) == 1;
  return (::close(fd) == 0) && written;
}

}  // namespace sixg::mem
