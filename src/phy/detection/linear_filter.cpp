#include "sixg/phy/detection/linear_filter.h"

#include <algorithm>
#include <bit>

#include <cstring>

namespace sixg::phy::linear_filter_kernels {

constexpr int kStreamTile = 4;       // output rows per register tile
constexpr int kColumnsPerBlock = 8;  // complex columns per tile: two registers of interleaved floats
// Columns copied into the contiguous panel per step. The caller's rows are often a multiple of 4 KiB
// apart (the rx grid [R, L, F] with F = 512), so R rows at one column offset share one L1 set and
// evict each other between the stream tiles that re-read them; the panel's rows are 256 B apart.
constexpr int kPanelColumns = 32;

}  // namespace sixg::phy::linear_filter_kernels

#define SIXG_KERNELS "phy/detection/linear_filter_kernels.h"
#include "phy/simd/for_each_kernel_target.h"

namespace sixg::phy {

using linear_filter_kernels::kPanelColumns;
using linear_filter_kernels::kStreamTile;

namespace {

std::size_t at(std::ptrdiff_t index) { return static_cast<std::size_t>(index); }

}  // namespace

LinearFilter::LinearFilter(DetectorKind kind, int num_rx_ant, int num_streams)
    : num_rx_ant_(num_rx_ant),
      num_streams_(num_streams),
      padded_streams_((num_streams + kStreamTile - 1) / kStreamTile * kStreamTile),
      detector_(make_detector(kind, num_rx_ant, num_streams)),
      identity_(Eigen::MatrixXcf::Identity(num_rx_ant, num_rx_ant)),
      w_(at(num_streams * num_rx_ant)),
      nv_(at(num_streams)),
      w_real_(at(padded_streams_ * num_rx_ant), 0.0f),
      w_imag_(2 * w_real_.size(), 0.0f),
      panel_(at(num_rx_ant * 2 * kPanelColumns), 0.0f) {}

void LinearFilter::design(ConstCMatrixView h, float n0, std::span<const float> err_var) {
  const int r = num_rx_ant_, s = num_streams_;
  // Column r of W is the detector's output for the unit vector e_r (x̂ = W y is linear in y).
  detector_->detect(h, n0, err_var, identity_, matrix_view(w_.data(), s, r, r, 1), nv_);
  for (int k = 0; k < s * r; ++k) {
    const cf32 w = w_[at(k)];
    w_real_[at(k)] = w.real();
    w_imag_[at(2 * k)] = -w.imag();
    w_imag_[at(2 * k + 1)] = w.imag();
  }
}

void LinearFilter::apply(const cf32* y, std::ptrdiff_t y_row_stride, std::ptrdiff_t num_columns, cf32* x,
                         std::ptrdiff_t x_row_stride) {
  SIXG_SIMD_DISPATCH(linear_filter_kernels, filter_columns)
  (w_real_.data(), w_imag_.data(), num_rx_ant_, num_streams_, panel_.data(), y, y_row_stride, num_columns, x,
   x_row_stride);
}

}  // namespace sixg::phy
