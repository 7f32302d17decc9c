// LinkPipeline: one batch of frames end to end — bits, LDPC, QAM, resource grid with pilots, channel,
// AWGN, channel estimation, MIMO detection, demapping, decoding, error counting (DESIGN §3).
//
// It owns the batch tensors of pipeline_tensors() (allocated once from the given memory resource and
// reused batch after batch) and one set of blocks per worker thread. Frames are independent: frame f
// draws all its randomness from Philox streams keyed by (seed, Eb/N0 index, f), and its arithmetic does
// not depend on its slot in the batch or on the thread that runs it.
#pragma once

#include <cstdint>
#include <memory>
#include <memory_resource>
#include <span>

#include "sixg/sim/frame_processor.h"
#include "sixg/sim/scenario.h"

namespace sixg::sim {

class LinkPipeline final : public FrameProcessor {
 public:
  /// Allocates every tensor for `batch_size` frames from `resource` (throws mem::out_of_budget when it
  /// does not fit) and builds the blocks (throws phy::invalid_config for an impossible scenario).
  LinkPipeline(const Scenario& scenario, std::uint64_t seed, int batch_size, int num_threads,
               std::pmr::memory_resource* resource);
  ~LinkPipeline() override;
  LinkPipeline(const LinkPipeline&) = delete;
  LinkPipeline& operator=(const LinkPipeline&) = delete;

  void process_frames(int snr_index, double ebno_db, std::uint64_t first_frame,
                      std::span<ErrorCounts> per_frame) override;
  [[nodiscard]] int max_batch() const override;
  [[nodiscard]] std::uint64_t info_bits_per_frame() const override;
  /// Worker threads (frames processed at once).
  [[nodiscard]] int parallelism() const override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sixg::sim
