#include "sixg/phy/detection/lmmse_detector.h"

#include <algorithm>
#include <limits>

namespace sixg::phy {

namespace {

/// Below this gain d_k (SINR < 1e-12) the stream counts as invisible: dividing by d_k would only
/// amplify rounding noise.
constexpr double kMinGain = 1e-12;

}  // namespace

LmmseDetector::LmmseDetector(int num_rx_ant, int num_streams)
    : Detector(num_rx_ant, num_streams),
      matched_filter_(num_rx_ant, num_streams),
      solver_(matched_filter_),
      scale_(static_cast<std::size_t>(num_streams)) {}

void LmmseDetector::detect(ConstCMatrixView h, float n0, std::span<const float> err_var, ConstCMatrixView y,
                           CMatrixView x_hat, std::span<float> post_noise_var) {
  check_shapes(h, err_var, y, x_hat, post_noise_var);
  matched_filter_.load_channel(h);
  // With N0_eff = 0 the load falls back to GramSolver's tiny one, and LMMSE becomes ZF.
  const double load = solver_.factor(matched_filter_, effective_noise(n0, err_var));
  if (load < 0.0) {
    x_hat.setZero();
    std::fill(post_noise_var.begin(), post_noise_var.end(), std::numeric_limits<float>::infinity());
    return;
  }
  const int n = num_streams();
  for (int k = 0; k < n; ++k) {
    const auto at = static_cast<std::size_t>(k);
    const double mse = load * solver_.inverse_diagonal(k);  // 1 - d_k: the biased estimate's MSE
    const double gain = 1.0 - mse;                          // d_k = [WĤ]_kk
    const bool visible = gain > kMinGain;
    scale_[at] = visible ? 1.0 / gain : 0.0;
    post_noise_var[at] = visible ? static_cast<float>(mse / gain) : std::numeric_limits<float>::infinity();
  }
  for (Eigen::Index l = 0; l < y.cols(); ++l) {
    matched_filter_.match(y, l);
    solver_.solve(matched_filter_);
    for (int k = 0; k < n; ++k) {
      const auto at = static_cast<std::size_t>(k);
      x_hat(k, l) = cf32(static_cast<float>(solver_.x_re()[k] * scale_[at]),
                         static_cast<float>(solver_.x_im()[k] * scale_[at]));
    }
  }
}

}  // namespace sixg::phy
