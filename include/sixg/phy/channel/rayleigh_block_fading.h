// RayleighBlockFading: i.i.d. CN(0, 1) gain per (receive antenna, stream) pair, the same on every
// subcarrier and OFDM symbol of the frame and new for each frame (Sionna's RayleighBlockFading).
// h shape [num_rx_ant, num_tx, 1, fft_size]. Draws num_rx_ant * num_tx complex normals, pair by pair
// in h's order; generate_matrix() writes the same draws as the [num_rx_ant, num_tx] matrix alone.
#pragma once

#include "sixg/phy/channel/channel_model.h"

namespace sixg::phy {

class RayleighBlockFading final : public ChannelModel {
 public:
  explicit RayleighBlockFading(const ChannelConfig& config);

  [[nodiscard]] int num_time_samples() const override { return 1; }
  [[nodiscard]] bool frequency_flat() const override { return true; }
  void generate(RandomStream& rng, std::span<cf32> h) const override;
  void generate_matrix(RandomStream& rng, std::span<cf32> h) const override;

 private:
  int num_pairs_;
  int fft_size_;
};

}  // namespace sixg::phy
