// Constellation: the square QAM points of TS 38.211 §5.1 (QPSK, 16-, 64-, 256-, 1024-QAM).
//
// A symbol carries m bits b(0..m-1). The even-indexed bits b(0), b(2), ... set the I amplitude and the
// odd-indexed bits b(1), b(3), ... the Q amplitude; each axis is a Gray-labelled PAM with L = 2^(m/2)
// levels given by the nested formula of §5.1,
//     A(c_0, ..., c_{k-1}) = (1-2c_0)·(2^(k-1) - (1-2c_1)·(2^(k-2) - ... - (1-2c_{k-1})·1)),  k = m/2,
// where c_j is the j-th bit of the axis (c_j = b(2j) on I, b(2j+1) on Q). Amplitudes are the odd
// integers ±1, ±3, ..., ±(L-1), scaled by 1/sqrt(2(L²-1)/3) = 1/√2, 1/√10, 1/√42, 1/√170, 1/√682 so
// that the average symbol energy is 1.
//
// Labels (indices into points() and axis_levels()) are MSB-first, as Sionna numbers its points:
//   symbol label = Σ_i b(i)·2^(m-1-i),   axis label = Σ_j c_j·2^(k-1-j).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "sixg/phy/types.h"

namespace sixg::phy {

/// Bits per axis (I or Q) of a square constellation: k = m/2.
constexpr int bits_per_axis(Modulation m) { return bits_per_symbol(m) / 2; }

/// The unnormalised §5.1 amplitude (an odd integer in ±[1, 2^k - 1]) of a k-bit PAM axis whose bits
/// c_0..c_{k-1} are `axis_label`, MSB-first (c_0, the sign bit, is the most significant).
constexpr int pam_amplitude(unsigned axis_label, int bits_per_axis) {
  const auto sign = [&](int j) { return 1 - 2 * static_cast<int>((axis_label >> (bits_per_axis - 1 - j)) & 1u); };
  int inner = 1;
  for (int j = bits_per_axis - 1; j >= 1; --j) inner = (1 << (bits_per_axis - j)) - sign(j) * inner;
  return sign(0) * inner;
}

/// The points of one modulation, built once and shared (see the file comment for the labelling).
class Constellation {
 public:
  /// The constellation of `m`, constructed on first use (thread-safe) and alive for the whole program.
  static const Constellation& of(Modulation m);

  [[nodiscard]] Modulation modulation() const { return modulation_; }
  [[nodiscard]] int bits_per_symbol() const { return sixg::phy::bits_per_symbol(modulation_); }
  [[nodiscard]] int bits_per_axis() const { return sixg::phy::bits_per_axis(modulation_); }
  /// Number of points M = 2^m.
  [[nodiscard]] std::size_t size() const { return points_.size(); }
  /// The M points, indexed by symbol label; average energy 1.
  [[nodiscard]] std::span<const cf32> points() const { return points_; }
  /// The L = √M normalised amplitudes of one axis (the same for I and Q), indexed by axis label.
  [[nodiscard]] std::span<const float> axis_levels() const { return axis_levels_; }
  /// The §5.1 normalisation factor 1/sqrt(2(L²-1)/3).
  [[nodiscard]] float scale() const { return scale_; }
  /// Smallest distance between two points: 2·scale().
  [[nodiscard]] float min_distance() const { return 2.0f * scale_; }

 private:
  explicit Constellation(Modulation m);

  Modulation modulation_;
  float scale_;
  std::vector<float> axis_levels_;
  std::vector<cf32> points_;
};

}  // namespace sixg::phy
