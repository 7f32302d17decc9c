#include "sixg/phy/detection/zf_detector.h"

#include <algorithm>
#include <limits>

namespace sixg::phy {

ZfDetector::ZfDetector(int num_rx_ant, int num_streams)
    : Detector(num_rx_ant, num_streams), matched_filter_(num_rx_ant, num_streams), solver_(matched_filter_) {}

void ZfDetector::detect(ConstCMatrixView h, float n0, std::span<const float> err_var, ConstCMatrixView y,
                        CMatrixView x_hat, std::span<float> post_noise_var) {
  check_shapes(h, err_var, y, x_hat, post_noise_var);
  const double n0_eff = effective_noise(n0, err_var);
  matched_filter_.load_channel(h);
  if (solver_.factor(matched_filter_, 0.0) < 0.0) {
    x_hat.setZero();
    std::fill(post_noise_var.begin(), post_noise_var.end(), std::numeric_limits<float>::infinity());
    return;
  }
  const int n = num_streams();
  for (int k = 0; k < n; ++k) {
    post_noise_var[static_cast<std::size_t>(k)] = matched_filter_.gain(k) > 0.0
                                                      ? static_cast<float>(n0_eff * solver_.inverse_diagonal(k))
                                                      : std::numeric_limits<float>::infinity();
  }
  for (Eigen::Index l = 0; l < y.cols(); ++l) {
    matched_filter_.match(y, l);
    solver_.solve(matched_filter_);
    for (int k = 0; k < n; ++k) {
      x_hat(k, l) = cf32(static_cast<float>(solver_.x_re()[k]), static_cast<float>(solver_.x_im()[k]));
    }
  }
}

}  // namespace sixg::phy
