#include "sixg/sim/runner.h"

#include <algorithm>
#include <chrono>
#include <vector>

namespace sixg::sim {
namespace {

/// The stopping rule that holds for the point's totals, if any.
std::optional<PointStatus> stop_status(const PointResult& point, const RunConfig& config) {
  if (config.target_block_errors && point.counts.block_errors >= *config.target_block_errors) {
    return PointStatus::reached_target_block_errors;
  }
  if (config.target_bit_errors && point.counts.bit_errors >= *config.target_bit_errors) {
    return PointStatus::reached_target_bit_errors;
  }
  if (point.num_frames >= config.max_frames) return PointStatus::reached_max_frames;
  return std::nullopt;
}

/// Adds one frame's counts and returns the status if a stopping rule fires at this frame.
std::optional<PointStatus> account_frame(PointResult& point, const ErrorCounts& frame, std::uint64_t bits_per_frame,
                                         const RunConfig& config) {
  point.counts += frame;
  ++point.num_frames;
  point.info_bits_simulated += bits_per_frame;
  return stop_status(point, config);
}

}  // namespace

SweepResult run_sweep(FrameProcessor& processor, const RunConfig& config, const RunnerHooks& hooks,
                      const SweepResult* resume) {
  using clock = std::chrono::steady_clock;
  SweepResult result;
  result.points.resize(config.ebno_db.size());
  for (std::size_t i = 0; i < config.ebno_db.size(); ++i) {
    result.points[i].ebno_db = config.ebno_db[i];
    result.points[i].status = PointStatus::skipped;
  }
  const std::size_t batch_capacity = static_cast<std::size_t>(std::max(1, processor.max_batch()));
  std::vector<ErrorCounts> per_frame(batch_capacity);
  const std::uint64_t bits_per_frame = processor.info_bits_per_frame();
  std::uint64_t batches_done = 0;
  bool sweep_over = false;

  for (std::size_t i = 0; i < config.ebno_db.size() && !sweep_over; ++i) {
    PointResult& point = result.points[i];
    point = PointResult{};
    point.ebno_db = config.ebno_db[i];
    if (resume != nullptr && i < resume->points.size() && resume->points[i].status != PointStatus::skipped) {
      // Continue from the earlier run's totals; whether the point is finished is decided by this
      // run's rules, so a longer --max-frames or a higher target continues a finished point.
      const PointResult& earlier = resume->points[i];
      point.counts = earlier.counts;
      point.num_frames = earlier.num_frames;
      point.runtime_s = earlier.runtime_s;
      point.info_bits_simulated = earlier.num_frames * bits_per_frame;
    }
    point.status = stop_status(point, config).value_or(PointStatus::running);
    if (point.status == PointStatus::running) {
      if (i > 0 && hooks.between_points) hooks.between_points();
      while (point.status == PointStatus::running) {
        if (hooks.interrupt != nullptr && hooks.interrupt->load()) {
          point.status = PointStatus::interrupted;
          break;
        }
        const std::uint64_t remaining = config.max_frames - point.num_frames;
        const std::size_t count = static_cast<std::size_t>(std::min<std::uint64_t>(batch_capacity, remaining));
        std::span<ErrorCounts> frames(per_frame.data(), count);
        const auto start = clock::now();
        processor.process_frames(static_cast<int>(i), point.ebno_db, point.num_frames, frames);
        point.runtime_s += std::chrono::duration<double>(clock::now() - start).count();
        ++batches_done;
        // Stopping rules in frame order: the first frame at which a target is met ends the point, and
        // frames after it in the same batch are discarded, whatever the batch size.
        for (const ErrorCounts& frame : frames) {
          if (auto stop = account_frame(point, frame, bits_per_frame, config)) {
            point.status = *stop;
            break;
          }
        }
        if (hooks.on_progress) hooks.on_progress(i, point);
        if (hooks.after_batch) hooks.after_batch(batches_done);
      }
    }
    if (point.status == PointStatus::interrupted) {
      result.interrupted = true;
      if (hooks.on_point_done) hooks.on_point_done(i, point);
      break;
    }
    if (config.early_stop && point.counts.bit_errors == 0 && point.counts.block_errors == 0) {
      point.status = PointStatus::no_errors_early_stop;
      sweep_over = true;
    } else if (config.target_bler && point.bler() < *config.target_bler) {
      point.status = PointStatus::target_bler_reached;
      sweep_over = true;
    }
    if (hooks.on_point_done) hooks.on_point_done(i, point);
  }
  return result;
}

}  // namespace sixg::sim
