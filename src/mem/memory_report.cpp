// The seed-style "System Memory Status" block (include/sixg/mem/memory_report.h).
#include "sixg/mem/memory_report.h"

#include <fmt/core.h>

#include "sixg/mem/byte_size.h"

namespace sixg::mem {

std::string format_memory_status(const MemoryStatus& status) {
  std::string out = "System Memory Status:\n";
  out += fmt::format("  - System Total: {}\n", format_bytes(status.system.total_bytes));
  out += fmt::format("  - System Available: {}\n", format_bytes(status.system.available_bytes));
  out += fmt::format("  - System Used: {:.1f}%\n", status.system.used_percent);
  // The seed prints RSS in MiB with one decimal whatever its size; keep that for comparability.
  out += fmt::format("  - Process RSS: {}\n", format_mib(status.process.rss_bytes));
  if (status.cgroup) {
    out += fmt::format("  - Cgroup Limit: {} (usage {})\n", format_bytes(status.cgroup->limit_bytes),
                       format_bytes(status.cgroup->usage_bytes));
  }
  out += fmt::format("  - Effective Available: {}\n", format_bytes(status.effective_available_bytes));
  for (const auto& gpu : status.gpus) {
    out += fmt::format("  - GPU {} ({}): used {} of {}\n", gpu.index, gpu.name, format_bytes(gpu.used_bytes),
                       format_bytes(gpu.total_bytes));
  }
  return out;
}

}  // namespace sixg::mem
