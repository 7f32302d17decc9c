// LinearFilter::apply's kernel (linear_filter.cpp), compiled once per SIMD kernel target
// (src/phy/simd/for_each_kernel_target.h: no include guard, everything in SIXG_SIMD_NS).

#include "phy/simd/lane_vectors.h"

namespace sixg::phy::linear_filter_kernels::SIXG_SIMD_NS {

namespace lanes = simd::SIXG_SIMD_NS::lanes;

/// x = W y for num_columns columns (see LinearFilter::apply); wr, wi: W as design() stores it, panel:
/// antennas x 2 kPanelColumns floats of scratch.
void filter_columns(const float* wr, const float* wi, int antennas, int streams, float* panel, const cf32* y,
                    std::ptrdiff_t y_row_stride, std::ptrdiff_t num_columns, cf32* x, std::ptrdiff_t x_row_stride) {
  using lanes::v8f;
  using lanes::v8i;
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
        float* dst = panel + a * panel_stride;
        for (int v = 0; v < 2 * kPanelColumns; v += 8) lanes::store8(dst + v, lanes::load8(src + v));
      }
    } else {
      for (int a = 0; a < antennas; ++a) {
        float* dst = panel + a * panel_stride;
        std::copy_n(reinterpret_cast<const float*>(y + a * y_row_stride + p0), 2 * panel_valid, dst);
        std::fill(dst + 2 * panel_valid, dst + 2 * padded, 0.0f);
      }
    }
    for (std::ptrdiff_t b0 = 0; b0 < panel_valid; b0 += kColumnsPerBlock) {
      const auto valid = std::min<std::ptrdiff_t>(kColumnsPerBlock, panel_valid - b0);
      const float* rows = panel + 2 * b0;
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
            const v8f im = __builtin_bit_cast(v8f, lanes::splat4(pair));
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

}  // namespace sixg::phy::linear_filter_kernels::SIXG_SIMD_NS
