// LmmseDetector: linear MMSE with unbiased output, as Sionna's lmmse_equalizer.
//
//   W = (ĤᴴĤ + N0_eff I)⁻¹ Ĥᴴ,  d_k = [WĤ]_kk = 1 - N0_eff [(ĤᴴĤ + N0_eff I)⁻¹]_kk,
//   x̂_k = (W y)_k / d_k,        SINR_k = d_k / (1 - d_k) = 1/[(I + ĤᴴĤ/N0_eff)⁻¹]_kk - 1,
// which is never below the ZF SNR of the same channel and tends to ZF as N0_eff -> 0.
// Shapes: see Detector::detect.
#pragma once

#include <vector>

#include "sixg/phy/detection/detector.h"
#include "sixg/phy/detection/gram_solver.h"
#include "sixg/phy/detection/matched_filter.h"

namespace sixg::phy {

class LmmseDetector final : public Detector {
 public:
  LmmseDetector(int num_rx_ant, int num_streams);

  void detect(ConstCMatrixView h, float n0, std::span<const float> err_var, ConstCMatrixView y, CMatrixView x_hat,
              std::span<float> post_noise_var) override;
  [[nodiscard]] DetectorKind kind() const override { return DetectorKind::lmmse; }

 private:
  MatchedFilter matched_filter_;
  GramSolver solver_;
  std::vector<double> scale_;  // 1/d_k (0 for a stream the filter cannot see)
};

}  // namespace sixg::phy
