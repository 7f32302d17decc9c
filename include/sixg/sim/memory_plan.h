// Memory estimate and batch planning for a scenario (DESIGN §2 "Estimator", "Batch planner").
//
// The estimate is built from the pipeline's own tensor inventory (pipeline_tensors()), so it is the
// memory the pipeline really allocates, plus the per-thread block workspaces and the process's own
// baseline. The seed's formula (grid + channel + bits·4, ×2 overhead) is reported beside it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sixg/sim/pipeline_tensors.h"
#include "sixg/sim/scenario.h"

namespace sixg::sim {

struct MemoryEstimate {
  int batch_size = 0;
  int threads = 1;
  std::vector<TensorSpec> tensors;
  std::uint64_t tensor_bytes = 0;     // all batch tensors (held together for the whole run)
  std::uint64_t workspace_bytes = 0;  // per-thread block state (detectors, estimators, decoders) x threads
  std::uint64_t baseline_bytes = 0;   // the process before the pipeline (code, libraries, runtime)
  std::uint64_t seed_formula_bytes = 0;
  [[nodiscard]] std::uint64_t peak_bytes() const { return tensor_bytes + workspace_bytes + baseline_bytes; }
};

/// Memory the seed's estimate_batch_memory_mb() would report (its formula, in bytes).
std::uint64_t seed_formula_bytes(const Scenario& scenario, int batch_size);

/// Per-thread workspace of the blocks for one worker thread.
std::uint64_t workspace_bytes_per_thread(const Scenario& scenario);

/// `baseline_bytes`: what the process holds besides the pipeline (e.g. its RSS at start-up).
MemoryEstimate estimate_memory(const Scenario& scenario, int batch_size, int threads, std::uint64_t baseline_bytes);

enum class BudgetSource { memory_limit, cgroup, system };

struct BatchPlan {
  int batch_size = 0;                   // 0 = not even one frame fits
  MemoryEstimate estimate;              // at batch_size (at 1 when nothing fits)
  std::uint64_t budget_bytes = 0;
  std::string limited_by;               // "memory-limit" | "cgroup" | "system" | "max-frames"
};

/// The largest batch (<= max_batch) whose estimated peak fits the budget. The estimate grows
/// linearly with the batch, so this is exact, not a search heuristic.
BatchPlan plan_batch(const Scenario& scenario, int threads, std::uint64_t budget_bytes, BudgetSource source,
                     int max_batch, std::uint64_t baseline_bytes);

}  // namespace sixg::sim
