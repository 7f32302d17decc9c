#include "sixg/mem/memory_monitor.h"

#include <cstdio>
#include <utility>

#include "sixg/mem/byte_size.h"
#include "sixg/mem/process_memory.h"

namespace sixg::mem {

namespace {

thread_local int t_monitor_depth = 0;

void write_to_stderr(std::string_view line) {
  std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
}

}  // namespace

std::string format_memory_scope(const MemoryScopeReport& report) {
  std::string line = "[memory] " + report.name + ": RSS " + format_bytes(report.rss_entry_bytes) + " -> " +
                     format_bytes(report.rss_exit_bytes) + ", peak RSS " + format_bytes(report.peak_rss_bytes);
  if (report.tensors_peak_bytes) {
    line += ", tensors peak " + format_bytes(*report.tensors_peak_bytes) + " (current " +
            format_bytes(report.tensors_current_bytes.value_or(0)) + ")";
  }
  return line;
}

MemoryMonitor::MemoryMonitor(std::string name, statistics_resource* statistics)
    : MemoryMonitor(std::move(name), statistics, write_to_stderr) {}

MemoryMonitor::MemoryMonitor(std::string name, statistics_resource* statistics, Sink sink)
    : name_(std::move(name)),
      statistics_(statistics),
      sink_(std::move(sink)),
      depth_(t_monitor_depth),
      rss_entry_bytes_(read_process_memory().rss_bytes) {
  if (statistics_ != nullptr) scope_id_ = statistics_->push_scope();
  ++t_monitor_depth;  // last, so a throwing constructor leaves the depth as it was
}

MemoryMonitor::~MemoryMonitor() {
  try {
    stop();
  } catch (...) {
    // A report that cannot be written (sink failure, no memory) must not end the program.
  }
}

MemoryScopeReport MemoryMonitor::make_report(const ProcessMemory& now, std::optional<std::uint64_t> tensors_peak,
                                             std::optional<std::uint64_t> tensors_current) const {
  return MemoryScopeReport{.name = name_,
                           .rss_entry_bytes = rss_entry_bytes_,
                           .rss_exit_bytes = now.rss_bytes,
                           .peak_rss_bytes = now.peak_rss_bytes,
                           .tensors_peak_bytes = tensors_peak,
                           .tensors_current_bytes = tensors_current};
}

MemoryScopeReport MemoryMonitor::report() const {
  if (final_) return *final_;
  if (statistics_ == nullptr || !open_) return make_report(read_process_memory(), std::nullopt, std::nullopt);
  return make_report(read_process_memory(), statistics_->scope_peak(scope_id_), statistics_->current_bytes());
}

MemoryScopeReport MemoryMonitor::stop() {
  if (final_) return *final_;
  if (open_) {
    // The side effects happen exactly once, even if building or writing the report throws later.
    open_ = false;
    --t_monitor_depth;
    exit_memory_ = read_process_memory();
    if (statistics_ != nullptr) {
      exit_tensors_current_ = statistics_->current_bytes();
      exit_tensors_peak_ = statistics_->pop_scope(scope_id_);
    }
  }
  final_ = make_report(exit_memory_, exit_tensors_peak_, exit_tensors_current_);
  if (sink_) sink_(std::string(2 * static_cast<std::size_t>(depth_), ' ') + format_memory_scope(*final_));
  return *final_;
}

}  // namespace sixg::mem
