#include "sixg/phy/grid/kronecker_pilots.h"

#include <cmath>

#include "sixg/phy/random/random_stream.h"

namespace sixg::phy {

KroneckerPilots::KroneckerPilots(const GridConfig& config, std::uint64_t seed)
    : num_streams_(config.num_streams),
      num_pilot_symbols_(config.num_pilot_symbols()),
      fft_size_(config.fft_size) {
  validate_grid_config(config);
  values_.resize(static_cast<std::size_t>(num_pilot_symbols_) * static_cast<std::size_t>(fft_size_));
  // QPSK (TS 38.211 §5.1.3: (1-2b0) + j(1-2b1), over sqrt 2) scaled to |p|^2 = S_tot.
  const float amplitude = std::sqrt(static_cast<float>(num_streams_) / 2.0f);
  RandomStream random(seed, 0, 0, RandomPurpose::pilots);
  // Fixed draw order (stream, pilot symbol, pilot subcarrier), one 32-bit word per pilot: the
  // pattern is a pure function of (seed, grid).
  const int pilots_per_symbol = fft_size_ / num_streams_;
  for (int s = 0; s < num_streams_; ++s) {
    for (int p = 0; p < num_pilot_symbols_; ++p) {
      for (int j = 0; j < pilots_per_symbol; ++j) {
        const std::uint32_t bits = random.next_u32();
        const float re = (bits & 1u) != 0 ? -amplitude : amplitude;
        const float im = (bits & 2u) != 0 ? -amplitude : amplitude;
        values_[static_cast<std::size_t>(p) * fft_size_ + s + j * num_streams_] = {re, im};
      }
    }
  }
}

}  // namespace sixg::phy
