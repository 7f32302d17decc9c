// MemoryConfig: how the memory manager's allocator stack is set up.
//
// The C++ counterpart of the seed's configure_tensorflow_memory(memory_growth, memory_limit_mb,
// suppress_allocation_warnings): growth on demand or reserved up front, an optional hard limit,
// and the large-allocation warnings; and whether tensors sit on huge pages. The CLI fills it from
// --memory-limit, --no-allocation-warnings and --huge-pages; MemoryManager (memory_manager.h) turns it into resources.
#pragma once

#include <cstdint>
#include <optional>

namespace sixg::mem {

struct MemoryConfig {
  enum class Growth {
    on_demand,  // take memory from the system as tensors need it, cache freed blocks (memory_growth=True)
    reserve     // take the whole limit at start-up and serve from it (memory_growth=False); needs a limit
  };
  Growth growth = Growth::on_demand;
  /// Hard limit in bytes on what the stack takes from the system (cached blocks included).
  std::optional<std::uint64_t> limit_bytes;
  /// Hard limit as a fraction in (0, 1] of the effective available memory at start-up; used only
  /// when limit_bytes is not set.
  std::optional<double> limit_fraction;
  bool allocation_warnings = true;
  double warning_fraction = 0.10;  // warn for one allocation above this fraction of available memory
  int max_warnings = 3;
  /// Map blocks of 2 MiB and more on transparent huge pages (huge_page_resource.h): faster kernels on
  /// long runs, a page-compaction cost at first touch. Off by default.
  bool huge_pages = false;
};

}  // namespace sixg::mem
