// FrameProcessor: what the Monte-Carlo runner drives. The link pipeline implements it; tests use fakes
// to check the runner's stopping semantics in isolation.
#pragma once

#include <cstdint>
#include <span>

#include "sixg/sim/results.h"

namespace sixg::sim {

class FrameProcessor {
 public:
  virtual ~FrameProcessor() = default;
  /// Simulates frames [first_frame, first_frame + per_frame.size()) of Eb/N0 point `snr_index` and
  /// writes each frame's error counts. A frame's counts depend only on (seed, snr_index, frame index),
  /// never on how frames are grouped into calls. per_frame.size() <= max_batch().
  virtual void process_frames(int snr_index, double ebno_db, std::uint64_t first_frame,
                              std::span<ErrorCounts> per_frame) = 0;
  /// The largest number of frames one call may take (the batch size its tensors were sized for).
  [[nodiscard]] virtual int max_batch() const = 0;
  /// Information bits carried by one frame (throughput numerator).
  [[nodiscard]] virtual std::uint64_t info_bits_per_frame() const = 0;
  /// How many frames one call works on at once (worker threads): the runner keeps shortened batches a
  /// multiple of it, so that no worker idles.
  [[nodiscard]] virtual int parallelism() const { return 1; }
};

}  // namespace sixg::sim
