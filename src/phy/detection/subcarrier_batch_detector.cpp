#include "sixg/phy/detection/subcarrier_batch_detector.h"

#include <algorithm>
#include <cfloat>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>

// Shared by the kernels of every target and the buffer sizes below.
namespace sixg::phy::batch_detection {

constexpr int kLanes = SubcarrierBatchDetector::kLanes;
constexpr int kColumnsPerPass = SubcarrierBatchDetector::kColumnsPerPass;
constexpr int kBlocksPerStage = SubcarrierBatchDetector::kBlocksPerStage;
constexpr int kStagedColumns = SubcarrierBatchDetector::kStagedColumns;
constexpr int kHalf = 4;           // double lanes: a block of kLanes subcarriers is solved as two halves
constexpr int kTile = 4;           // Gram / matched-filter tile along the streams (8 accumulators in registers)
constexpr int kAntennaChunk = 8;   // antennas of H per pass of the Gram / matched filter (L1-sized)
constexpr int kRowsAhead = 4;      // rows prefetched ahead while staging the channel or received columns
constexpr int kRowsFarAhead = 12;  // and further ahead (see stage_channel)

namespace {

std::size_t at(int index) { return static_cast<std::size_t>(index); }

int round_up(int n, int multiple) { return (n + multiple - 1) / multiple * multiple; }

/// Elements of each work buffer (one place: the constructor allocates these, workspace_bytes() sums them).
/// Buffers of the float stage hold kLanes floats per entry, those of the double stage kHalf doubles.
struct BufferSizes {
  std::size_t h, gram, n0_eff, y, staged_y, z, x, nv;  // float, h..x for re and im each
  std::size_t u, v, scale, zd;               // double, u, v and zd (and w) for re and im each
};

BufferSizes buffer_sizes(int num_rx_ant, int num_streams) {
  constexpr int kBlocks = kBlocksPerStage, kColumns = kColumnsPerPass;
  const int a = num_rx_ant, s = num_streams, sp = round_up(std::max(num_streams, 1), kTile);
  return {at(kBlocks * a * sp * kLanes),
          at(s * sp * kLanes),
          at(kBlocks * kLanes),
          at(kColumns * a * kLanes),
          at(kBlocks * kStagedColumns * a * kLanes),
          at(kColumns * sp * kLanes),
          at(kColumns * s * kLanes),
          at(s * kLanes),
          at(s * s * kHalf),
          at(2 * s * s * kHalf),
          at(2 * s * kHalf),
          at(kColumns * s * kHalf)};
}

}  // namespace
}  // namespace sixg::phy::batch_detection

#define SIXG_KERNELS "phy/detection/subcarrier_batch_detector_kernels.h"
#include "phy/simd/for_each_kernel_target.h"

namespace sixg::phy {

using batch_detection::buffer_sizes;
using batch_detection::BufferSizes;
using batch_detection::kTile;
using batch_detection::round_up;

std::size_t SubcarrierBatchDetector::workspace_bytes(int num_rx_ant, int num_streams, int /*fft_size*/) {
  const BufferSizes n = buffer_sizes(std::max(num_rx_ant, 0), std::max(num_streams, 0));
  return sizeof(float) * (2 * (n.h + n.gram + n.y + n.staged_y + n.z + n.x) + n.n0_eff + n.nv) +
         sizeof(double) * (2 * (n.u + n.v) + n.scale + 4 * n.zd);
}

SubcarrierBatchDetector::SubcarrierBatchDetector(DetectorKind kind, int num_rx_ant, int num_streams, int fft_size) {
  // Same configuration rules as the per-subcarrier detectors.
  (void)make_detector(kind, num_rx_ant, num_streams);
  if (fft_size < 1) throw invalid_config("--fft-size", "--fft-size: the batch detector needs at least one subcarrier");
  state_.kind_ = kind;
  state_.num_rx_ant_ = num_rx_ant;
  state_.num_streams_ = num_streams;
  state_.fft_size_ = fft_size;
  state_.padded_streams_ = round_up(std::max(num_streams, 1), kTile);
  const BufferSizes n = buffer_sizes(num_rx_ant, num_streams);
  for (auto* buffer : {&state_.h_re_, &state_.h_im_}) buffer->assign(n.h, 0.0f);
  for (auto* buffer : {&state_.gram_re_, &state_.gram_im_}) buffer->assign(n.gram, 0.0f);
  state_.n0_eff_.assign(n.n0_eff, 0.0f);
  for (auto* buffer : {&state_.y_re_, &state_.y_im_}) buffer->assign(n.y, 0.0f);
  for (auto* buffer : {&state_.staged_y_re_, &state_.staged_y_im_}) buffer->assign(n.staged_y, 0.0f);
  for (auto* buffer : {&state_.z_re_, &state_.z_im_}) buffer->assign(n.z, 0.0f);
  for (auto* buffer : {&state_.x_re_, &state_.x_im_}) buffer->assign(n.x, 0.0f);
  state_.nv_.assign(n.nv, 0.0f);
  for (auto* buffer : {&state_.u_re_, &state_.u_im_}) buffer->assign(n.u, 0.0);
  for (auto* buffer : {&state_.v_re_, &state_.v_im_}) buffer->assign(n.v, 0.0);
  state_.scale_.assign(n.scale, 0.0);
  for (auto* buffer : {&state_.zd_re_, &state_.zd_im_, &state_.w_re_, &state_.w_im_}) buffer->assign(n.zd, 0.0);
}

void SubcarrierBatchDetector::detect(const ChannelGroupView& g) {
  const bool ls_tables = g.interpolation.weight0 != nullptr && g.interpolation.weight1 != nullptr &&
                         g.interpolation.source0 != nullptr && g.interpolation.source1 != nullptr;
  const bool one_channel = g.h != nullptr ? g.ls == nullptr : g.ls != nullptr && ls_tables;
  if (!one_channel || g.y == nullptr || g.x_hat == nullptr || g.nv == nullptr ||
      g.y_column_offset.size() != g.x_column_offset.size() || g.num_terms < 1 || g.num_terms > 2) {
    throw std::invalid_argument(
        "SubcarrierBatchDetector::detect: needs h or ls (with its interpolation tables), y, x_hat, nv, 1 or 2 "
        "channel terms and as many output columns as received columns");
  }
#if SIXG_SIMD_AVX2_COPY
  if (simd::avx2_copy_selected()) {
    batch_detection::avx2::SubcarrierBatchKernel(state_).detect(g);
    return;
  }
#endif
  batch_detection::portable::SubcarrierBatchKernel(state_).detect(g);
}

}  // namespace sixg::phy
