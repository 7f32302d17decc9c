// AwgnChannel: the identity channel. Stream t reaches receive antenna t with gain 1 and no other
// antenna: h[r][t][0][k] = (r == t), shape [num_rx_ant, num_tx, 1, fft_size] (generate_matrix(): the
// [num_rx_ant, num_tx] identity alone). Draws no random numbers.
#pragma once

#include "sixg/phy/channel/channel_model.h"

namespace sixg::phy {

class AwgnChannel final : public ChannelModel {
 public:
  /// Throws invalid_config("--num-bs-ant") when num_rx_ant < num_tx.
  explicit AwgnChannel(const ChannelConfig& config);

  [[nodiscard]] int num_time_samples() const override { return 1; }
  [[nodiscard]] bool frequency_flat() const override { return true; }
  void generate(RandomStream& rng, std::span<cf32> h) const override;
  void generate_matrix(RandomStream& rng, std::span<cf32> h) const override;

 private:
  int num_rx_ant_;
  int num_tx_;
  int fft_size_;
};

}  // namespace sixg::phy
