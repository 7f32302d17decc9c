#include "sixg/sim/budgeted_pipeline.h"

#include <fmt/core.h>

#include "sixg/mem/byte_size.h"
#include "sixg/mem/out_of_budget.h"

namespace sixg::sim {

BudgetedPipeline build_pipeline_within_budget(const Scenario& scenario, std::uint64_t seed, int batch_size,
                                              int threads, mem::MemoryManager& memory,
                                              const std::function<void(std::string_view)>& log) {
  BudgetedPipeline out;
  int batch = std::max(1, batch_size);
  for (;;) {
    try {
      out.pipeline = std::make_unique<LinkPipeline>(scenario, seed, batch, threads, memory.resource());
      out.batch_size = batch;
      return out;
    } catch (const mem::out_of_budget& e) {
      // Whatever the failed attempt allocated has been returned to the pool by now; give it back
      // to the system before the smaller attempt.
      memory.release();
      if (batch == 1) {
        throw budget_too_small(fmt::format("one frame does not fit the memory budget: {}", e.what()),
                               e.requested_bytes() + e.in_use_bytes(), e.limit_bytes());
      }
      const int smaller = batch / 2;
      if (log) {
        log(fmt::format("Out of budget at batch size {} ({}); halving to {} and retrying", batch, e.what(), smaller));
      }
      batch = smaller;
      ++out.retries;
    }
  }
}

}  // namespace sixg::sim
