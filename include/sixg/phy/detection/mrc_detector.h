// MrcDetector: maximal-ratio combining per stream, x̂_k = ĥ_kᴴ y / ‖ĥ_k‖².
//
// Unbiased; the other streams count as interference:
//   SINR_k = ‖ĥ_k‖⁴ / (sum_{j≠k} |ĥ_kᴴ ĥ_j|² + N0_eff ‖ĥ_k‖²),
// which for one stream is the maximal-ratio SNR ‖h‖²/N0. Shapes: see Detector::detect.
#pragma once

#include <vector>

#include "sixg/phy/detection/detector.h"
#include "sixg/phy/detection/matched_filter.h"

namespace sixg::phy {

class MrcDetector final : public Detector {
 public:
  MrcDetector(int num_rx_ant, int num_streams);

  void detect(ConstCMatrixView h, float n0, std::span<const float> err_var, ConstCMatrixView y, CMatrixView x_hat,
              std::span<float> post_noise_var) override;
  [[nodiscard]] DetectorKind kind() const override { return DetectorKind::mrc; }

 private:
  MatchedFilter matched_filter_;
  std::vector<double> scale_;  // 1/‖ĥ_k‖² (0 for a silent stream)
};

}  // namespace sixg::phy
