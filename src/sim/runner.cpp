#include "sixg/sim/runner.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
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

/// Frames a target still needs at the error rate `errors / frames` (in double: a target of 2^63, given to
/// switch it off, needs more frames than an integer holds), or nullopt without a target or a rate.
std::optional<double> frames_to_target(std::optional<std::uint64_t> target, std::uint64_t have, std::uint64_t errors,
                                       std::uint64_t frames) {
  if (!target || errors == 0 || frames == 0) return std::nullopt;
  const double rate = static_cast<double>(errors) / static_cast<double>(frames);
  return std::ceil(static_cast<double>(*target - std::min(*target, have)) / rate);
}

/// The size of the next batch. A batch is cut at the first frame that meets an error target and its
/// remaining frames are thrown away, so at points that end on a target, computing a full batch wastes up
/// to a batch per point (at the default sweep's low-SNR points, more than half). The next batch is
/// therefore sized to the frames the targets are predicted to need, from this point's error rate so far,
/// or, before this point has errors, the previous point's (which, with Eb/N0 rising, is the higher rate:
/// the prediction then errs short and costs one more batch, not wasted frames); with 25 % to spare and
/// rounded up to a multiple of the processor's parallelism. Only the work changes: the counts are the
/// same for any sequence of batch sizes (frames are keyed by their index, the rules applied in frame
/// order).
std::size_t next_batch_size(const PointResult& point, const PointResult* previous, const RunConfig& config,
                            std::size_t capacity, std::uint64_t remaining, std::size_t parallelism) {
  std::size_t count = static_cast<std::size_t>(std::min<std::uint64_t>(capacity, remaining));
  const bool own_rate = point.counts.block_errors > 0 || point.counts.bit_errors > 0;
  const PointResult* basis = own_rate ? &point : (point.num_frames == 0 ? previous : nullptr);
  if (basis == nullptr) return count;
  std::optional<double> need;
  for (const auto& n : {frames_to_target(config.target_block_errors, point.counts.block_errors,
                                         basis->counts.block_errors, basis->num_frames),
                        frames_to_target(config.target_bit_errors, point.counts.bit_errors, basis->counts.bit_errors,
                                         basis->num_frames)}) {
    if (n) need = need ? std::min(*need, *n) : *n;
  }
  if (!need) return count;
  const auto p = static_cast<double>(std::max<std::size_t>(1, parallelism));
  const double wanted = std::floor((1.25 * *need + p) / p) * p;  // >= 1.25 need, a multiple of p, >= p
  // Compared in double before any conversion: a huge prediction keeps the full batch.
  return wanted < static_cast<double>(count) ? static_cast<std::size_t>(wanted) : count;
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
        const std::size_t count =
            next_batch_size(point, i > 0 ? &result.points[i - 1] : nullptr, config, batch_capacity, remaining,
                            static_cast<std::size_t>(std::max(1, processor.parallelism())));
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
