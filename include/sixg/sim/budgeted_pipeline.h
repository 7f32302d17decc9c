// Building the pipeline inside a memory budget, with the recovery the seed asked for: when the
// allocator stack refuses a batch (mem::out_of_budget), halve the batch, release the pool and try
// again; only when one frame cannot fit is it an error (budget_too_small, exit 3).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string_view>

#include "sixg/mem/memory_manager.h"
#include "sixg/sim/link_pipeline.h"
#include "sixg/sim/scenario.h"

namespace sixg::sim {

/// Even one frame does not fit the budget.
class budget_too_small : public std::runtime_error {
 public:
  budget_too_small(const std::string& message, std::uint64_t needed_bytes, std::uint64_t budget_bytes)
      : std::runtime_error(message), needed_(needed_bytes), budget_(budget_bytes) {}
  [[nodiscard]] std::uint64_t needed_bytes() const { return needed_; }
  [[nodiscard]] std::uint64_t budget_bytes() const { return budget_; }

 private:
  std::uint64_t needed_, budget_;
};

struct BudgetedPipeline {
  std::unique_ptr<LinkPipeline> pipeline;
  int batch_size = 0;  // what was really allocated (<= the requested batch)
  int retries = 0;     // halvings after out_of_budget
};

/// Allocates the pipeline for `batch_size` frames from `memory`'s resource; on out_of_budget halves
/// the batch, releases the pool and retries, reporting each step to `log`. Throws budget_too_small
/// when batch 1 does not fit.
BudgetedPipeline build_pipeline_within_budget(const Scenario& scenario, std::uint64_t seed, int batch_size,
                                              int threads, mem::MemoryManager& memory,
                                              const std::function<void(std::string_view)>& log);

}  // namespace sixg::sim
