// DopplerBasis: a low-rank factor of the time correlation of one Rayleigh tap under Jakes' (Clarke's)
// Doppler spectrum, used to draw a tap's values at a slot's OFDM symbols with exact second-order
// statistics.
//
// For times t_0..t_{T-1} the tap vector a ~ CN(0, R) with R[l][m] = J0(2 pi f_D |t_l - t_m|). R is
// factored as R ~= B B^T with B = U sqrt(Lambda) [T x rank] (real, from the eigen-decomposition), keeping
// the fewest eigenvectors whose discarded eigenvalues sum to at most `tolerance` * trace(R). Then
// a = B w with w ~ CN(0, I_rank). Over one slot R is nearly rank-deficient (f_D * T_slot << 1), so rank
// is a handful and a tap costs `rank` complex normals instead of one per symbol.
#pragma once

#include <span>
#include <vector>

namespace sixg::phy {

class DopplerBasis {
 public:
  /// `times` in s (at least one), `doppler_hz` >= 0. tolerance: relative variance left out (the
  /// truncation error is a complex Gaussian of that relative power, 1e-9 = -90 dB).
  DopplerBasis(std::span<const double> times, double doppler_hz, double tolerance = 1e-9);

  [[nodiscard]] int num_times() const { return num_times_; }
  [[nodiscard]] int rank() const { return rank_; }
  /// B as a row-major [num_times x rank] matrix.
  [[nodiscard]] std::span<const float> matrix() const { return factor_; }
  [[nodiscard]] float at(int time, int component) const { return factor_[time * rank_ + component]; }

 private:
  int num_times_ = 0;
  int rank_ = 0;
  std::vector<float> factor_;
};

}  // namespace sixg::phy
