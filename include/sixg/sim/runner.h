// The Monte-Carlo runner: an Eb/N0 sweep with Sionna sim_ber's stopping rules, applied in frame order
// (DESIGN §3) so that results do not depend on the batch size.
#pragma once

#include <atomic>
#include <functional>
#include <optional>

#include "sixg/sim/frame_processor.h"
#include "sixg/sim/results.h"
#include "sixg/sim/run_config.h"

namespace sixg::sim {

struct RunnerHooks {
  /// After every batch, with the point's running totals (for a live progress table).
  std::function<void(std::size_t point_index, const PointResult&)> on_progress;
  /// When a point is finished (any status).
  std::function<void(std::size_t point_index, const PointResult&)> on_point_done;
  /// After every batch (the memory manager's periodic release hooks in here).
  std::function<void(std::uint64_t batches_done)> after_batch;
  /// Between Eb/N0 points.
  std::function<void()> between_points;
  /// Set asynchronously (SIGINT): the current batch finishes, then the sweep stops as interrupted.
  const std::atomic<bool>* interrupt = nullptr;
};

/// Runs the sweep. `resume` (optional) holds the points of an earlier run of the same configuration:
/// finished points are kept as they are, an unfinished one continues from its frame count, so the final
/// counts equal those of one uninterrupted run.
SweepResult run_sweep(FrameProcessor& processor, const RunConfig& config, const RunnerHooks& hooks = {},
                      const SweepResult* resume = nullptr);

}  // namespace sixg::sim
