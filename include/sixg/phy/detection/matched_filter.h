// MatchedFilter: the front end the linear detectors share: the channel H, its Gram matrix G = HᴴH and
// the matched-filter output z = Hᴴy, held in preallocated double-precision split (re/im) arrays.
//
// Why double: ZF and LMMSE solve (HᴴH + λI) x = Hᴴy. Forming HᴴH squares the condition number of H, so
// in float a 16 x 16 channel (condition numbers of 10^2..10^3 are common) would lose 4..6 of float's 7
// digits. Products of float inputs are exact in double, so these kernels return results as accurate
// as the float32 inputs allow. Why split arrays and fixed-size tiles: the loops run along the stream
// axis of contiguous rows (no reductions) in Eigen fixed-size arrays of kTile values, which compile to
// a few SIMD registers that stay live across the antenna loop; Eigen's general complex products spend
// most of their time packing and in complex division/hypot at these sizes (32 x 16: ~10x slower).
#pragma once

#include <Eigen/Core>
#include <vector>

#include "sixg/phy/detection/detector.h"

namespace sixg::phy {

class MatchedFilter {
 public:
  using Real = double;
  /// Values per tile: two AVX2 registers of doubles (measured best on Zen 3 for 32 x 16).
  static constexpr int kTile = 8;
  using Tile = Eigen::Array<Real, kTile, 1>;

  MatchedFilter(int num_rx_ant, int num_streams);

  /// h [A x S] -> the channel and the upper triangle (k >= j) of G = HᴴH.
  void load_channel(const ConstCMatrixView& h);
  /// z = Hᴴ y[:, column], S values into z_re()/z_im().
  void match(const ConstCMatrixView& y, Eigen::Index column);

  [[nodiscard]] int num_rx_ant() const { return num_rx_ant_; }
  [[nodiscard]] int num_streams() const { return num_streams_; }
  /// Row stride of the stored matrices: S rounded up to a whole number of tiles (padding is zero).
  [[nodiscard]] int stride() const { return stride_; }
  /// G_jk for j < S, k >= j at [j * stride() + k] (entries below the diagonal unspecified).
  [[nodiscard]] const Real* gram_re() const { return gram_re_.data(); }
  [[nodiscard]] const Real* gram_im() const { return gram_im_.data(); }
  /// ‖h_k‖² = G_kk.
  [[nodiscard]] Real gain(int k) const { return gram_re_[static_cast<std::size_t>(k * stride_ + k)]; }
  [[nodiscard]] const Real* z_re() const { return z_re_.data(); }
  [[nodiscard]] const Real* z_im() const { return z_im_.data(); }

 private:
  int num_rx_ant_;
  int num_streams_;
  int stride_;
  std::vector<Real> h_re_, h_im_;        // [A][stride], zero beyond S
  std::vector<Real> gram_re_, gram_im_;  // [S][stride]
  std::vector<Real> z_re_, z_im_;        // [stride]
};

}  // namespace sixg::phy
