#include "sixg/phy/detection/linear_filter.h"

#include <algorithm>
#include <bit>

#include "lane_vectors.h"

namespace sixg::phy {

namespace {

using lanes::v4d;
using lanes::v8f;
using lanes::v8i;
constexpr int kStreamTile = 4;       // output rows per register tile
constexpr int kColumnsPerBlock = 8;  // complex columns per tile: two registers of interleaved floats
// Columns copied into the contiguous panel per step. The caller's rows are often a multiple of 4 KiB
// apart (the rx grid [R, L, F] with F = 512), so R rows at one column offset share one L1 set and
// evict each other between the stream tiles that re-read them; the panel's rows are 256 B apart.
constexpr int kPanelColumns = 32;

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
  const int antennas = num_rx_ant_, streams = num_streams_;
  const float* wr = w_real_.data();
  const float* wi = w_imag_.data();
  constexpr std::ptrdiff_t panel_stride = 2 * kPanelColumns;  // floats per panel row
  for (std::ptrdiff_t p0 = 0; p0 < num_columns; p0 += kPanelColumns) {
    // Copy this panel of Y (interleaved floats); a partial panel is zero-padded to whole blocks, so
    // every column runs the same instructions.
    const auto panel_valid = std::min<std::ptrdiff_t>(kPanelColumns, num_columns - p0);
    const auto padded = (panel_valid + kColumnsPerBlock - 1) / kColumnsPerBlock * kColumnsPerBlock;
    if (panel_valid == kPanelColumns) {
      // Whole panel: eight vector copies per row, inline (a memmove call per 256 B row costs more).
      for (int a = 0; a < antennas; ++a) {
        const float* src = reinterpret_cast<const float*>(y + a * y_row_stride + p0);
        float* dst = panel_.data() + a * panel_stride;
        for (int v = 0; v < 2 * kPanelColumns; v += 8) lanes::store8(dst + v, lanes::load8(src + v));
      }
    } else {
      for (int a = 0; a < antennas; ++a) {
        float* dst = panel_.data() + a * panel_stride;
        std::copy_n(reinterpret_cast<const float*>(y + a * y_row_stride + p0), 2 * panel_valid, dst);
        std::fill(dst + 2 * panel_valid, dst + 2 * padded, 0.0f);
      }
    }
    for (std::ptrdiff_t b0 = 0; b0 < panel_valid; b0 += kColumnsPerBlock) {
      const auto valid = std::min<std::ptrdiff_t>(kColumnsPerBlock, panel_valid - b0);
      const float* rows = panel_.data() + 2 * b0;
      const std::ptrdiff_t n0 = p0 + b0;
      for (int s0 = 0; s0 < streams; s0 += kStreamTile) {
        // (W y)_s = Re W_s y + (-Im W_s, Im W_s) * swap(y): with y interleaved (re, im) per column,
        // swap(y) = (im, re), so the second product adds (-Im W Im y, Im W Re y).
        v8f acc[kStreamTile][2] = {};
        for (int a = 0; a < antennas; ++a) {
          const float* row = rows + a * panel_stride;
          const v8f y0 = lanes::load8(row), y1 = lanes::load8(row + 8);
          const v8f q0 = __builtin_shuffle(y0, v8i{1, 0, 3, 2, 5, 4, 7, 6});
          const v8f q1 = __builtin_shuffle(y1, v8i{1, 0, 3, 2, 5, 4, 7, 6});
          for (int t = 0; t < kStreamTile; ++t) {
            const std::ptrdiff_t k = static_cast<std::ptrdiff_t>(s0 + t) * antennas + a;
            const v8f re = lanes::splat8(wr[k]);
            double pair;
            std::memcpy(&pair, wi + 2 * k, sizeof pair);
            const v8f im = std::bit_cast<v8f>(lanes::splat4(pair));
            acc[t][0] += re * y0 + im * q0;
            acc[t][1] += re * y1 + im * q1;
          }
        }
        for (int t = 0; t < kStreamTile && s0 + t < streams; ++t) {
          float* out = reinterpret_cast<float*>(x + (s0 + t) * x_row_stride + n0);
          if (valid == kColumnsPerBlock) {
            lanes::store8(out, acc[t][0]);
            lanes::store8(out + 8, acc[t][1]);
          } else {
            float buffer[2 * kColumnsPerBlock];
            lanes::store8(buffer, acc[t][0]);
            lanes::store8(buffer + 8, acc[t][1]);
            std::copy_n(buffer, 2 * valid, out);
          }
        }
      }
    }
  }
}

}  // namespace sixg::phy
