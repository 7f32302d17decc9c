// The current process's resident memory, from /proc/self/status (VmRSS, VmHWM).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace sixg::mem {

struct ProcessMemory {
  std::uint64_t rss_bytes = 0;       // VmRSS
  std::uint64_t peak_rss_bytes = 0;  // VmHWM, since start or the last reset_peak_rss()
};

/// Parses the contents of a /proc/<pid>/status file; nullopt when VmRSS is missing.
std::optional<ProcessMemory> parse_proc_status(std::string_view status_text);

/// Reads /proc/self/status; zeros when unreadable (never throws).
ProcessMemory read_process_memory();

/// Resets VmHWM to the current RSS by writing "5" to /proc/self/clear_refs (Linux >= 4.0).
/// Returns false where the kernel does not allow it.
bool reset_peak_rss();

}  // namespace sixg::mem
