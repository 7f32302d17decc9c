#include "sixg/phy/detection/detector.h"

#include <numeric>
#include <stdexcept>

namespace sixg::phy {

Detector::Detector(int num_rx_ant, int num_streams) : num_rx_ant_(num_rx_ant), num_streams_(num_streams) {}

void Detector::check_shapes(const ConstCMatrixView& h, std::span<const float> err_var, const ConstCMatrixView& y,
                            const CMatrixView& x_hat, std::span<float> post_noise_var) const {
  const bool ok = h.rows() == num_rx_ant_ && h.cols() == num_streams_ && y.rows() == num_rx_ant_ &&
                  x_hat.rows() == num_streams_ && x_hat.cols() == y.cols() &&
                  (err_var.empty() || err_var.size() == static_cast<std::size_t>(num_streams_)) &&
                  post_noise_var.size() == static_cast<std::size_t>(num_streams_);
  if (!ok) {
    throw std::invalid_argument(
        "Detector::detect: needs h [num_rx_ant x num_streams], y [num_rx_ant x L], x_hat [num_streams x L], "
        "err_var [num_streams] or empty, post_noise_var [num_streams]");
  }
}

float effective_noise(float n0, std::span<const float> err_var) {
  return std::accumulate(err_var.begin(), err_var.end(), n0);
}

}  // namespace sixg::phy
