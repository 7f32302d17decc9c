// SubcarrierBatchDetector: the linear detectors of detector.h (MRC, ZF, unbiased LMMSE, same formulas,
// same N0_eff = N0 + sum_s err_var_s, same "invisible stream -> x̂ = 0, 1/SINR = +inf") run on every
// subcarrier of one channel group at once, with SIMD lanes = consecutive subcarriers.
//
// Why lanes along subcarriers: the pipeline's tensors (channel [A, S, T, F], rx grid [A, L, F], outputs
// [S, N_data], or an LS estimate [A, S, P, F]) are contiguous along the subcarrier axis, so every load and
// store is a contiguous run of 8 subcarriers and the S x S algebra has no horizontal reductions. (The
// pipeline's LS path passes the pilots' LS values [A, P, F] instead: those are gathered per lane by the
// interpolation's source table, from rows that stay in L2; see ChannelGroupView::ls.) A subcarrier's result depends only on its own inputs:
// the last, partial block is padded and runs the same vector code, so shifting or permuting the
// subcarriers, or moving the buffers, does not change any output bit.
//
// Precision split (measured in tests/phy/detection_subcarrier_batch_test.cpp against a double reference):
//  - H (the LS combination), the Gram matrix G = HᴴH and the matched filter z = Hᴴy: float, 8 lanes.
//    The float inputs already carry a relative rounding of 2^-24; accumulating G in float adds an error of
//    the same kind and size (about sqrt(A) ulps of ‖H‖²), i.e. it perturbs G like rounding H itself does.
//  - Cholesky of G + λI, its inverse factor V, diag((G + λI)⁻¹) and x = V Vᴴ z: double, 4 lanes, the
//    algorithm of GramSolver. This is where a float version would lose cond(G) x 2^-24.
// Net (measured, ZF, no noise, cond(H) = 1..100 i.e. cond(G) up to 1e4, against the exact double solution
// of the same float inputs): error <= 1.9 x 2^-24 x cond(H)² relative to the column's largest estimate,
// i.e. about 1e-7 at cond(H) = 1 and 1.1e-3 at cond(H) = 100 (the all-double Detector: ~cond(H) x 2^-24).
// LMMSE is better conditioned (its load N0_eff caps cond(G + λI)). Against the per-subcarrier Detector
// the tests hold both to 64 x 2^-24 x cond(H)² (x̂ and 1/SINR).
//
// One object per thread; detect() uses the buffers preallocated by the constructor (no heap allocation).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "sixg/phy/detection/detector.h"
#include "sixg/phy/estimation/ls_interpolation.h"
#include "sixg/phy/types.h"

namespace sixg::phy {

/// Where one channel group's inputs and outputs live. k is the subcarrier, 0 <= k < fft_size; all
/// strides and offsets count elements (cf32 or float), and any of them may be negative or unaligned.
struct ChannelGroupView {
  /// H(a, s, k) = sum_{i < num_terms} weight[i] * h[a * ant_stride + s * stream_stride + term_offset[i] + k]
  /// (num_terms 1 or 2: perfect CSI or a pilot symbol's LS estimate, or a time interpolation of two).
  const cf32* h = nullptr;
  std::ptrdiff_t ant_stride = 0, stream_stride = 0;
  int num_terms = 1;
  std::ptrdiff_t term_offset[2] = {0, 0};
  float weight[2] = {1.0f, 0.0f};
  /// Or, with h == nullptr: LS values, and H(a, s, k) = sum_i weight[i] * (interpolation of stream s
  /// applied to the row ls + a * ant_stride + term_offset[i]) at k — LsChannelEstimator::estimate()'s
  /// h_hat computed on the fly (same operations, so the same bits as passing that h_hat as h), without
  /// the [A, S, P, F] tensor. stream_stride is unused then.
  const cf32* ls = nullptr;
  LsInterpolation interpolation;
  /// err_var(s, k) = sum_i weight[i]^2 * err[s * err_stream_stride + err_term_offset[i] + k];
  /// err == nullptr: perfect CSI (0).
  const float* err = nullptr;
  std::ptrdiff_t err_stream_stride = 0;
  std::ptrdiff_t err_term_offset[2] = {0, 0};
  /// Noise variance per RE and receive antenna.
  float n0 = 0.0f;
  /// Received vector of column c at subcarrier k, antenna a: y[a * y_ant_stride + y_column_offset[c] + k].
  const cf32* y = nullptr;
  std::ptrdiff_t y_ant_stride = 0;
  std::span<const std::ptrdiff_t> y_column_offset;
  /// Out: x̂ of stream s, column c, subcarrier k at x_hat[s * x_stream_stride + x_column_offset[c] + k],
  /// its post-detection noise variance (1/SINR, the same for every column) at the same index in nv.
  /// Must not overlap the inputs.
  cf32* x_hat = nullptr;
  float* nv = nullptr;
  std::ptrdiff_t x_stream_stride = 0;
  std::span<const std::ptrdiff_t> x_column_offset;
};

namespace detail {

/// The configuration and work buffers of a SubcarrierBatchDetector (allocated by its constructor). The
/// detection kernels, compiled once per SIMD kernel target (sixg/phy/simd/kernel_target.h), work on it.
struct SubcarrierBatchState {
  DetectorKind kind_;
  int num_rx_ant_, num_streams_, fft_size_;
  int padded_streams_;  // S rounded up to the Gram/matched-filter tile (4), padding columns of H are 0

  // Float stage, kLanes floats per entry.
  std::vector<float> h_re_, h_im_;        // [kBlocksPerStage][A][padded S]
  std::vector<float> gram_re_, gram_im_;  // [S][padded S], upper triangle valid
  std::vector<float> n0_eff_;             // [kBlocksPerStage]
  std::vector<float> y_re_, y_im_;        // [kColumnsPerPass][A]: the received columns of a pass
  std::vector<float> staged_y_re_, staged_y_im_;  // [kBlocksPerStage][kStagedColumns][A]: of a stage
  std::vector<float> z_re_, z_im_;        // [kColumnsPerPass][padded S]
  std::vector<float> x_re_, x_im_;        // [kColumnsPerPass][S]
  std::vector<float> nv_;                 // [S]
  // Double stage, 4 doubles (one half block) per entry.
  std::vector<double> u_re_, u_im_;    // [S][S]: U, upper triangle
  std::vector<double> v_re_, v_im_;    // [2 halves][S][S]: V = U⁻¹, upper triangle
  std::vector<double> scale_;          // [2 halves][S]: 1/d_k (LMMSE), 1 (ZF), 1/‖h_k‖² (MRC); 0 if invisible
  std::vector<double> zd_re_, zd_im_;  // [kColumnsPerPass][S]: z of the half, widened
  std::vector<double> w_re_, w_im_;    // [kColumnsPerPass][S]: Vᴴ z
};

}  // namespace detail

class SubcarrierBatchDetector {
 public:
  static constexpr int kLanes = 8;           // subcarriers per block (one AVX register of floats)
  static constexpr int kColumnsPerPass = 8;  // received vectors matched per pass over a block
  static constexpr int kBlocksPerStage = 4;  // blocks whose channel is staged together (see stage_channel)
  static constexpr int kStagedColumns = 16;  // a group of up to this many columns has them staged likewise

  /// Throws invalid_config as make_detector() does, and for fft_size < 1.
  SubcarrierBatchDetector(DetectorKind kind, int num_rx_ant, int num_streams, int fft_size);

  /// Bytes of work buffers the constructor allocates for this configuration (memory planning); fft_size
  /// does not change them (the buffers hold one stage of kBlocksPerStage blocks, whatever the FFT size).
  [[nodiscard]] static std::size_t workspace_bytes(int num_rx_ant, int num_streams, int fft_size);

  /// Detects all fft_size subcarriers of the group. Throws std::invalid_argument when a pointer is null
  /// (err may be; exactly one of h and ls is given, ls with all four interpolation tables) or the column
  /// offset spans differ in size.
  void detect(const ChannelGroupView& g);

  [[nodiscard]] DetectorKind kind() const { return state_.kind_; }
  [[nodiscard]] int num_rx_ant() const { return state_.num_rx_ant_; }
  [[nodiscard]] int num_streams() const { return state_.num_streams_; }
  [[nodiscard]] int fft_size() const { return state_.fft_size_; }

 private:
  detail::SubcarrierBatchState state_;
};

}  // namespace sixg::phy
