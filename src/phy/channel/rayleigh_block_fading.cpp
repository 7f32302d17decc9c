#include "sixg/phy/channel/rayleigh_block_fading.h"

#include <algorithm>
#include <stdexcept>

namespace sixg::phy {

RayleighBlockFading::RayleighBlockFading(const ChannelConfig& config)
    : num_pairs_(config.num_rx_ant * config.num_tx), fft_size_(config.fft_size) {
  validate_channel_config(config);
}

void RayleighBlockFading::generate(RandomStream& rng, std::span<cf32> h) const {
  const auto k = static_cast<std::size_t>(fft_size_);
  if (h.size() != static_cast<std::size_t>(num_pairs_) * k) {
    throw std::invalid_argument("RayleighBlockFading::generate: h has the wrong size");
  }
  for (int p = 0; p < num_pairs_; ++p) {
    cf32 gain;
    rng.fill_complex_normal(std::span<cf32>(&gain, 1));
    const auto row = h.subspan(static_cast<std::size_t>(p) * k, k);
    std::fill(row.begin(), row.end(), gain);
  }
}

void RayleighBlockFading::generate_matrix(RandomStream& rng, std::span<cf32> h) const {
  if (h.size() != static_cast<std::size_t>(num_pairs_)) {
    throw std::invalid_argument("RayleighBlockFading::generate_matrix: h must hold num_rx_ant * num_tx values");
  }
  // One call draws the same normals as generate()'s pair-by-pair calls (the stream continues its block).
  rng.fill_complex_normal(h);
}

}  // namespace sixg::phy
