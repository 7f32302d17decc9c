#include "budget_options.h"

#include <fmt/core.h>

#include <cmath>

#include "sixg/mem/byte_size.h"
#include "sixg/phy/types.h"

namespace sixg::cli {

void add_budget_options(CLI::App& app, BudgetOptionValues& v, bool with_run_options) {
  const char* g = "Budget";
  app.add_option("--memory-limit", v.memory_limit, "memory limit: 4GiB, 512MiB, ... or auto (effective available)")
      ->capture_default_str()->group(g);
  app.add_option("--memory-fraction", v.memory_fraction, "fraction of the limit the planner may fill, in (0, 1]")
      ->capture_default_str()->group(g);
  if (with_run_options) {
    app.add_option("--release-every", v.release_every, "release the memory pool every N batches")
        ->capture_default_str()->group(g);
    app.add_flag("--no-allocation-warnings", v.no_allocation_warnings, "silence large-allocation warnings")->group(g);
    app.add_flag("--huge-pages", v.huge_pages,
                 "tensors on transparent huge pages: ~5-10 % faster on long runs, slower start-up")
        ->group(g);
  }
}

Budget resolve_budget(const BudgetOptionValues& v, const sixg::mem::MemoryStatus& status) {
  using phy::invalid_config;
  if (!(v.memory_fraction > 0.0 && v.memory_fraction <= 1.0)) {
    throw invalid_config("--memory-fraction", fmt::format("--memory-fraction: {} must be in (0, 1]", v.memory_fraction));
  }
  if (v.release_every < 1) {
    throw invalid_config("--release-every", fmt::format("--release-every: {} must be an integer >= 1", v.release_every));
  }
  Budget b;
  if (v.memory_limit != "auto") {
    const auto bytes = mem::parse_byte_size(v.memory_limit);
    if (!bytes || *bytes == 0) {
      throw invalid_config("--memory-limit", fmt::format("--memory-limit: '{}' is not a size; use e.g. 512MiB, 4GiB, "
                                                         "2GB or auto",
                                                         v.memory_limit));
    }
    b.memory_limit_bytes = *bytes;
    b.limit_base_bytes = *bytes;
    b.source = sim::BudgetSource::memory_limit;
  }
  if (!b.memory_limit_bytes || *b.memory_limit_bytes > status.effective_available_bytes) {
    // A limit above what this process may really use would not protect it: the smaller one binds.
    b.limit_clamped = b.memory_limit_bytes.has_value();
    b.limit_base_bytes = status.effective_available_bytes;
    b.source = status.cgroup && status.effective_available_bytes < status.system.available_bytes
                   ? sim::BudgetSource::cgroup
                   : sim::BudgetSource::system;
  }
  b.budget_bytes = static_cast<std::uint64_t>(std::floor(v.memory_fraction * static_cast<double>(b.limit_base_bytes)));
  return b;
}

}  // namespace sixg::cli
