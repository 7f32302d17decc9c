#include "sixg/phy/channel/doppler_basis.h"

#include <Eigen/Eigenvalues>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace sixg::phy {

DopplerBasis::DopplerBasis(std::span<const double> times, double doppler_hz, double tolerance)
    : num_times_(static_cast<int>(times.size())) {
  if (times.empty() || !(doppler_hz >= 0.0) || !(tolerance >= 0.0)) {
    throw std::invalid_argument("DopplerBasis: needs at least one time, doppler_hz >= 0 and tolerance >= 0");
  }
  const int n = num_times_;
  Eigen::MatrixXd correlation(n, n);
  for (int l = 0; l < n; ++l) {
    for (int m = 0; m < n; ++m) {
      correlation(l, m) = std::cyl_bessel_j(0.0, 2.0 * std::numbers::pi * doppler_hz * std::abs(times[l] - times[m]));
    }
  }
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(correlation);
  // Eigen sorts eigenvalues in increasing order; round-off can make the smallest slightly negative.
  const Eigen::VectorXd values = eigen.eigenvalues().cwiseMax(0.0);
  const double budget = tolerance * correlation.trace();
  double discarded = 0.0;
  int first_kept = 0;
  while (first_kept < n - 1 && discarded + values(first_kept) <= budget) discarded += values(first_kept++);
  rank_ = n - first_kept;

  // Largest component first, so the factor's leading columns carry most of the power.
  factor_.resize(static_cast<std::size_t>(n) * rank_);
  for (int j = 0; j < rank_; ++j) {
    const int source = n - 1 - j;
    const double scale = std::sqrt(values(source));
    for (int l = 0; l < n; ++l) {
      factor_[static_cast<std::size_t>(l) * rank_ + j] = static_cast<float>(scale * eigen.eigenvectors()(l, source));
    }
  }
}

}  // namespace sixg::phy
