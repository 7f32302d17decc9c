// ZfDetector: zero forcing, x̂ = (ĤᴴĤ)⁻¹ Ĥᴴ y, post-detection noise N0_eff [(ĤᴴĤ)⁻¹]_kk.
//
// Needs num_rx_ant >= num_streams (make_detector checks). Unbiased; on a noiseless channel it returns
// x to float precision. Shapes: see Detector::detect.
#pragma once

#include "sixg/phy/detection/detector.h"
#include "sixg/phy/detection/gram_solver.h"
#include "sixg/phy/detection/matched_filter.h"

namespace sixg::phy {

class ZfDetector final : public Detector {
 public:
  ZfDetector(int num_rx_ant, int num_streams);

  void detect(ConstCMatrixView h, float n0, std::span<const float> err_var, ConstCMatrixView y, CMatrixView x_hat,
              std::span<float> post_noise_var) override;
  [[nodiscard]] DetectorKind kind() const override { return DetectorKind::zf; }

 private:
  MatchedFilter matched_filter_;
  GramSolver solver_;
};

}  // namespace sixg::phy
