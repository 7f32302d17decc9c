// MemoryMonitor: an RAII scope that reports what a piece of work did to memory.
//
// At entry it records the process RSS and, given a statistics_resource, opens an allocator scope
// there (nothing is reset: other scopes and the global peak carry on). At exit (stop() or the
// destructor) it reports, in the seed's style,
//   [memory] Simulation: RSS 120.30 MiB -> 140.10 MiB, peak RSS 352.00 MiB, tensors peak 210.40 MiB (current 0 B)
// i.e. RSS at entry and exit, the process peak RSS (VmHWM: since start or the last reset, not
// only this scope) and the peak of tensor bytes while the scope was open. Monitors nest; inner
// lines are indented by depth (counted per thread). report() gives the same numbers as a struct,
// for JSON. A monitor must end on the thread that created it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "sixg/mem/process_memory.h"
#include "sixg/mem/statistics_resource.h"

namespace sixg::mem {

struct MemoryScopeReport {
  std::string name;
  std::uint64_t rss_entry_bytes = 0;
  std::uint64_t rss_exit_bytes = 0;  // at the end of the scope (or now, while it is open)
  std::uint64_t peak_rss_bytes = 0;  // process VmHWM at that moment
  std::optional<std::uint64_t> tensors_peak_bytes;     // allocator peak within the scope
  std::optional<std::uint64_t> tensors_current_bytes;  // allocator live bytes at that moment
};

/// The report line without indentation or newline: "[memory] NAME: RSS ... (current ...)".
std::string format_memory_scope(const MemoryScopeReport& report);

class MemoryMonitor {
 public:
  using Sink = std::function<void(std::string_view)>;

  /// Reports to stderr. `statistics` (may be null) must outlive the monitor.
  explicit MemoryMonitor(std::string name, statistics_resource* statistics = nullptr);
  /// Reports to `sink` (one line, without newline); an empty sink makes the monitor silent.
  MemoryMonitor(std::string name, statistics_resource* statistics, Sink sink);
  /// Ends the scope if stop() was not called (never throws).
  ~MemoryMonitor();

  MemoryMonitor(const MemoryMonitor&) = delete;
  MemoryMonitor& operator=(const MemoryMonitor&) = delete;

  /// The numbers so far while open; the final ones after stop().
  [[nodiscard]] MemoryScopeReport report() const;
  /// Ends the scope: takes the final numbers, closes the allocator scope and writes the line to
  /// the sink. Later calls only return the same report.
  MemoryScopeReport stop();
  /// 0 for the outermost monitor of this thread.
  [[nodiscard]] int depth() const noexcept { return depth_; }

 private:
  MemoryScopeReport make_report(const ProcessMemory& now, std::optional<std::uint64_t> tensors_peak,
                                std::optional<std::uint64_t> tensors_current) const;

  std::string name_;
  statistics_resource* statistics_;
  Sink sink_;
  int depth_;
  std::uint64_t rss_entry_bytes_;
  std::size_t scope_id_ = 0;
  bool open_ = true;
  ProcessMemory exit_memory_;
  std::optional<std::uint64_t> exit_tensors_peak_;
  std::optional<std::uint64_t> exit_tensors_current_;
  std::optional<MemoryScopeReport> final_;
};

}  // namespace sixg::mem
