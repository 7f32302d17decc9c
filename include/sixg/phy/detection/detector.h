// Detector: linear MIMO detection of the streams on one channel realisation (DESIGN §3 "Detection").
//
// Model: y = H x + n with x the S stream symbols (unit average energy each), n ~ CN(0, N0 I), and H
// known only as an estimate Ĥ with per-stream error variance err_var_s (H - Ĥ has independent
// CN(0, err_var_s) entries in column s). The error acts as extra noise, so every detector works with
//   N0_eff = N0 + sum_s err_var_s        (per receive antenna)
// and returns unbiased estimates x̂_k = x_k + e_k with the post-detection noise variance
// var(e_k) = 1/SINR_k, which is what the demapper needs.
//
// Implementations: mrc_detector.h, zf_detector.h, lmmse_detector.h; build one with make_detector().
// One object per thread: detect() uses preallocated members only (no heap allocation), and computes
// the small S x S algebra in double precision (see matched_filter.h) on float32 inputs and outputs.
#pragma once

#include <Eigen/Core>
#include <memory>
#include <span>

#include "sixg/phy/types.h"

namespace sixg::phy {

enum class DetectorKind { mrc, zf, lmmse };

/// A complex64 matrix seen in place: element (r, c) at data[r * row_stride + c * col_stride]. Lets a
/// detector read H, y and write x̂ straight from/to the pipeline's row-major tensors, e.g. y of data
/// symbols i..i+L-1 at subcarrier k in an [A, N_data] array: row_stride N_data, col_stride fft_size.
/// The read-only view also binds any Eigen matrix, block or map of cf32 without copying.
using CMatrixView = Eigen::Map<Eigen::MatrixXcf, Eigen::Unaligned, Eigen::Stride<Eigen::Dynamic, Eigen::Dynamic>>;
using ConstCMatrixView = Eigen::Ref<const Eigen::MatrixXcf, 0, Eigen::Stride<Eigen::Dynamic, Eigen::Dynamic>>;
using ConstCMatrixMap =
    Eigen::Map<const Eigen::MatrixXcf, Eigen::Unaligned, Eigen::Stride<Eigen::Dynamic, Eigen::Dynamic>>;

inline ConstCMatrixMap matrix_view(const cf32* data, Eigen::Index rows, Eigen::Index cols, Eigen::Index row_stride,
                                    Eigen::Index col_stride) {
  return {data, rows, cols, Eigen::Stride<Eigen::Dynamic, Eigen::Dynamic>(col_stride, row_stride)};
}
inline CMatrixView matrix_view(cf32* data, Eigen::Index rows, Eigen::Index cols, Eigen::Index row_stride,
                               Eigen::Index col_stride) {
  return {data, rows, cols, Eigen::Stride<Eigen::Dynamic, Eigen::Dynamic>(col_stride, row_stride)};
}
/// Dense column-major rows x cols (Eigen's default layout): element (r, c) at data[r + c * rows].
inline ConstCMatrixMap column_major_view(const cf32* data, Eigen::Index rows, Eigen::Index cols) {
  return matrix_view(data, rows, cols, 1, rows);
}
inline CMatrixView column_major_view(cf32* data, Eigen::Index rows, Eigen::Index cols) {
  return matrix_view(data, rows, cols, 1, rows);
}

class Detector {
 public:
  virtual ~Detector() = default;
  Detector(const Detector&) = delete;
  Detector& operator=(const Detector&) = delete;

  /// h        [num_rx_ant x num_streams]  Ĥ (or the true H with perfect CSI)
  /// n0       noise variance per RE and receive antenna
  /// err_var  [num_streams]               estimation-error variance per stream (all zeros, or empty,
  ///                                       for perfect CSI)
  /// y        [num_rx_ant x L]            L received vectors that share this channel (any L >= 0)
  /// x_hat    [num_streams x L]           out: unbiased estimates of the transmitted symbols
  /// post_noise_var [num_streams]         out: post-detection noise variance per stream (1/SINR), the
  ///                                       same for all L columns because one filter serves them.
  ///                                       +inf (with x_hat = 0) for a stream the filter cannot see.
  /// x_hat must not overlap h or y. Throws std::invalid_argument on mismatched shapes.
  virtual void detect(ConstCMatrixView h, float n0, std::span<const float> err_var, ConstCMatrixView y,
                      CMatrixView x_hat, std::span<float> post_noise_var) = 0;

  [[nodiscard]] virtual DetectorKind kind() const = 0;
  [[nodiscard]] int num_rx_ant() const { return num_rx_ant_; }
  [[nodiscard]] int num_streams() const { return num_streams_; }

 protected:
  Detector(int num_rx_ant, int num_streams);
  /// Throws std::invalid_argument unless the shapes match this detector (see detect()).
  void check_shapes(const ConstCMatrixView& h, std::span<const float> err_var, const ConstCMatrixView& y,
                    const CMatrixView& x_hat, std::span<float> post_noise_var) const;

 private:
  int num_rx_ant_;
  int num_streams_;
};

/// N0_eff = N0 + sum_s err_var_s: noise plus the estimation error's share of every stream (unit-energy
/// symbols), per receive antenna.
float effective_noise(float n0, std::span<const float> err_var);

/// Builds the detector. Throws invalid_config("--num-bs-ant") for zf with num_rx_ant < num_streams, and
/// for num_rx_ant or num_streams < 1.
std::unique_ptr<Detector> make_detector(DetectorKind kind, int num_rx_ant, int num_streams);

}  // namespace sixg::phy
