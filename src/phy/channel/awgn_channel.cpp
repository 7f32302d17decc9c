#include "sixg/phy/channel/awgn_channel.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace sixg::phy {

AwgnChannel::AwgnChannel(const ChannelConfig& config)
    : num_rx_ant_(config.num_rx_ant), num_tx_(config.num_tx), fft_size_(config.fft_size) {
  validate_channel_config(config);
  if (num_rx_ant_ < num_tx_) {
    const std::string needed = "at least " + std::to_string(num_tx_) + " (the number of streams)";
    throw invalid_config("--num-bs-ant",
                         "--num-bs-ant: awgn maps each stream to its own receive antenna, so it needs " + needed);
  }
}

void AwgnChannel::generate(RandomStream& /*rng*/, std::span<cf32> h) const {
  const auto k = static_cast<std::size_t>(fft_size_);
  if (h.size() != static_cast<std::size_t>(num_rx_ant_) * num_tx_ * k) {
    throw std::invalid_argument("AwgnChannel::generate: h has the wrong size");
  }
  for (int r = 0; r < num_rx_ant_; ++r) {
    for (int t = 0; t < num_tx_; ++t) {
      const auto row = h.subspan((static_cast<std::size_t>(r) * num_tx_ + t) * k, k);
      std::fill(row.begin(), row.end(), r == t ? cf32{1.0f, 0.0f} : cf32{0.0f, 0.0f});
    }
  }
}

void AwgnChannel::generate_matrix(RandomStream& /*rng*/, std::span<cf32> h) const {
  if (h.size() != static_cast<std::size_t>(num_rx_ant_) * num_tx_) {
    throw std::invalid_argument("AwgnChannel::generate_matrix: h must hold num_rx_ant * num_tx values");
  }
  for (int r = 0; r < num_rx_ant_; ++r) {
    for (int t = 0; t < num_tx_; ++t) h[static_cast<std::size_t>(r) * num_tx_ + t] = r == t ? cf32{1.0f, 0.0f} : cf32{};
  }
}

}  // namespace sixg::phy
