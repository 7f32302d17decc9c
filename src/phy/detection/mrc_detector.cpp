#include "sixg/phy/detection/mrc_detector.h"

#include <algorithm>
#include <limits>

namespace sixg::phy {

MrcDetector::MrcDetector(int num_rx_ant, int num_streams)
    : Detector(num_rx_ant, num_streams),
      matched_filter_(num_rx_ant, num_streams),
      scale_(static_cast<std::size_t>(num_streams)) {}

void MrcDetector::detect(ConstCMatrixView h, float n0, std::span<const float> err_var, ConstCMatrixView y,
                         CMatrixView x_hat, std::span<float> post_noise_var) {
  check_shapes(h, err_var, y, x_hat, post_noise_var);
  const double n0_eff = effective_noise(n0, err_var);
  matched_filter_.load_channel(h);
  const int n = num_streams();
  const int stride = matched_filter_.stride();
  const MatchedFilter::Real* gr = matched_filter_.gram_re();
  const MatchedFilter::Real* gi = matched_filter_.gram_im();
  for (int k = 0; k < n; ++k) {
    const double gain = matched_filter_.gain(k);  // ‖ĥ_k‖²
    const auto at = static_cast<std::size_t>(k);
    if (!(gain > 0.0)) {
      scale_[at] = 0.0;
      post_noise_var[at] = std::numeric_limits<float>::infinity();
      continue;
    }
    // Σ_{j≠k} |ĥ_kᴴ ĥ_j|², reading |G_kj| = |G_jk| from the stored upper triangle.
    double interference = 0.0;
    for (int j = 0; j < k; ++j) {
      interference += gr[j * stride + k] * gr[j * stride + k] + gi[j * stride + k] * gi[j * stride + k];
    }
    for (int j = k + 1; j < n; ++j) {
      interference += gr[k * stride + j] * gr[k * stride + j] + gi[k * stride + j] * gi[k * stride + j];
    }
    scale_[at] = 1.0 / gain;
    post_noise_var[at] = static_cast<float>((interference + n0_eff * gain) / (gain * gain));
  }
  for (Eigen::Index l = 0; l < y.cols(); ++l) {
    matched_filter_.match(y, l);
    for (int k = 0; k < n; ++k) {
      const auto at = static_cast<std::size_t>(k);
      x_hat(k, l) = cf32(static_cast<float>(matched_filter_.z_re()[k] * scale_[at]),
                         static_cast<float>(matched_filter_.z_im()[k] * scale_[at]));
    }
  }
}

}  // namespace sixg::phy
