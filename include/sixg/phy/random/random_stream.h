// RandomStream: the random numbers one frame uses for one purpose, drawn from Philox4x32-10.
//
// Key = the run's seed; counter = (block index, purpose and Eb/N0 index, frame index). Two streams
// with different (purpose, snr_index, frame) never overlap, and a stream's numbers depend only on
// those values and on the order of draws inside it, never on the batch the frame sits in.
#pragma once

#include <cstdint>
#include <span>

#include "sixg/phy/random/philox.h"
#include "sixg/phy/types.h"

namespace sixg::phy {

/// What the numbers are for; each purpose is an independent stream.
enum class RandomPurpose : std::uint32_t {
  info_bits = 1,
  pilots = 2,
  channel = 3,
  noise = 4,
  test = 15,
};

class RandomStream {
 public:
  /// `snr_index` < 2^16. Pilots are the same for all frames and points: use frame 0, snr_index 0.
  RandomStream(std::uint64_t seed, std::uint32_t snr_index, std::uint64_t frame, RandomPurpose purpose);

  /// Next 32 random bits.
  std::uint32_t next_u32() {
    if (used_ == 4) refill();
    return block_[used_++];
  }
  /// Uniform on the open interval (0, 1), 24-bit resolution (never 0, so log() is safe).
  float next_uniform() { return (static_cast<float>(next_u32() >> 8) + 0.5f) * (1.0f / 16777216.0f); }

  /// One bit (0 or 1) per byte.
  void fill_bits(std::span<std::uint8_t> bits);
  /// Uniform on (0, 1).
  void fill_uniform(std::span<float> out);
  /// N(0, stddev^2), Box-Muller on pairs of uniforms.
  void fill_normal(std::span<float> out, float stddev = 1.0f);
  /// CN(0, variance): real and imaginary parts N(0, variance/2) each.
  void fill_complex_normal(std::span<cf32> out, float variance = 1.0f);

 private:
  void refill();

  PhiloxKey key_{};
  PhiloxCounter counter_{};
  PhiloxCounter block_{};
  unsigned used_ = 4;
};

}  // namespace sixg::phy
