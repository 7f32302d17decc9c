// LinearFilter: the detectors of detector.h as an explicit filter matrix, for a channel that is the same
// on every RE it serves (block fading with perfect CSI: one A x S channel per frame).
//
//   design(h, n0, err_var): W [S x R] with x̂ = W y, i.e. W = diag(1/d) (ĤᴴĤ + N0_eff I)⁻¹ Ĥᴴ (LMMSE),
//     (ĤᴴĤ)⁻¹ Ĥᴴ (ZF), diag(1/‖ĥ_k‖²) Ĥᴴ (MRC), and post_noise_var [S] (1/SINR; +inf with a zero row of W
//     for a stream the filter cannot see). W is the chosen Detector applied to the R unit vectors, so it
//     is computed in double and rounded once to complex64, with exactly that detector's semantics.
//   apply(y, x): X [S x N] = W Y [R x N], both row-major complex64 (rows with their own strides, e.g.
//     the pipeline's rx grid [R, L, F] seen as R rows of N = L F values) - a register-blocked complex
//     GEMM. Every output element is sum_r W_sr Y_rn in the order r = 0..R-1 with the same float
//     operations, whatever N, the column's position or the buffers' alignment (no FMA).
//
// Results equal Detector::detect on every column within float rounding of W and of the R-term sum.
// One object per thread; design() and apply() do not allocate.
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include "sixg/phy/detection/detector.h"
#include "sixg/phy/types.h"

namespace sixg::phy {

class LinearFilter {
 public:
  /// Throws invalid_config as make_detector() does.
  LinearFilter(DetectorKind kind, int num_rx_ant, int num_streams);

  /// h [R x S], n0 and err_var [S] (or empty) as in Detector::detect.
  void design(ConstCMatrixView h, float n0, std::span<const float> err_var);

  /// W, row-major [S][R]: element (s, r) at weights()[s * R + r].
  [[nodiscard]] std::span<const cf32> weights() const { return w_; }
  /// [S]: 1/SINR per stream, the same for every column.
  [[nodiscard]] std::span<const float> post_noise_var() const { return nv_; }

  /// x[s * x_row_stride + n] = sum_r W_sr y[r * y_row_stride + n] for 0 <= n < num_columns. x must not
  /// overlap y.
  void apply(const cf32* y, std::ptrdiff_t y_row_stride, std::ptrdiff_t num_columns, cf32* x,
             std::ptrdiff_t x_row_stride);

  [[nodiscard]] int num_rx_ant() const { return num_rx_ant_; }
  [[nodiscard]] int num_streams() const { return num_streams_; }

 private:
  int num_rx_ant_, num_streams_, padded_streams_;
  std::unique_ptr<Detector> detector_;
  Eigen::MatrixXcf identity_;  // [R x R]
  std::vector<cf32> w_;        // [S][R]
  std::vector<float> nv_;      // [S]
  std::vector<float> w_real_;  // [padded S][R]: Re W_sr (zero rows pad S to the kernel's tile)
  std::vector<float> w_imag_;  // [padded S][R][2]: (-Im W_sr, Im W_sr), the sign pattern of i W_sr y
  std::vector<float> panel_;   // [R][2 * 32]: the columns being filtered, contiguous (zero-padded at the end)
};

}  // namespace sixg::phy
