// Budget options (DESIGN §4): --memory-limit, --memory-fraction, --release-every,
// --no-allocation-warnings, --huge-pages, and how they resolve to a budget for the planner.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "sixg/mem/system_probe.h"
#include "sixg/sim/memory_plan.h"

namespace sixg::cli {

struct BudgetOptionValues {
  std::string memory_limit = "auto";  // bytes with unit, or auto (= effective available memory)
  double memory_fraction = 0.8;       // the seed's 80 % rule
  int release_every = 10;             // batches between pool releases
  bool no_allocation_warnings = false;
  bool huge_pages = false;  // tensors on transparent huge pages (long runs)
};

void add_budget_options(CLI::App& app, BudgetOptionValues& values, bool with_run_options);

struct Budget {
  std::optional<std::uint64_t> memory_limit_bytes;  // --memory-limit, when given
  std::uint64_t limit_base_bytes = 0;               // memory limit or effective available memory
  std::uint64_t budget_bytes = 0;                   // fraction x base
  sixg::sim::BudgetSource source = sixg::sim::BudgetSource::system;
  bool limit_clamped = false;  // --memory-limit exceeded the effective available memory
};

/// Validates the values (invalid_config naming the option) and resolves the budget from the memory
/// status: the user's limit if given, else the effective available memory (cgroup-aware).
Budget resolve_budget(const BudgetOptionValues& values, const sixg::mem::MemoryStatus& status);

}  // namespace sixg::cli
