#include "sixg/phy/random/random_stream.h"

#include <cmath>
#include <numbers>

namespace sixg::phy {

RandomStream::RandomStream(std::uint64_t seed, std::uint32_t snr_index, std::uint64_t frame,
                           RandomPurpose purpose)
    : key_{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)},
      counter_{0u, (static_cast<std::uint32_t>(purpose) << 16) | (snr_index & 0xFFFFu),
               static_cast<std::uint32_t>(frame), static_cast<std::uint32_t>(frame >> 32)} {}

void RandomStream::refill() {
  block_ = philox4x32_10(counter_, key_);
  ++counter_[0];
  used_ = 0;
}

void RandomStream::fill_bits(std::span<std::uint8_t> bits) {
  std::size_t i = 0;
  while (i < bits.size()) {
    std::uint32_t word = next_u32();
    for (int b = 0; b < 32 && i < bits.size(); ++b, ++i) {
      bits[i] = static_cast<std::uint8_t>((word >> b) & 1u);
    }
  }
}

void RandomStream::fill_uniform(std::span<float> out) {
  for (float& x : out) x = next_uniform();
}

void RandomStream::fill_normal(std::span<float> out, float stddev) {
  constexpr float kTwoPi = 2.0f * std::numbers::pi_v<float>;
  std::size_t i = 0;
  for (; i + 1 < out.size(); i += 2) {
    const float r = stddev * std::sqrt(-2.0f * std::log(next_uniform()));
    const float theta = kTwoPi * next_uniform();
    out[i] = r * std::cos(theta);
    out[i + 1] = r * std::sin(theta);
  }
  if (i < out.size()) {
    const float r = stddev * std::sqrt(-2.0f * std::log(next_uniform()));
    out[i] = r * std::cos(kTwoPi * next_uniform());
  }
}

void RandomStream::fill_complex_normal(std::span<cf32> out, float variance) {
  // A complex<float> is two contiguous floats (guaranteed by [complex.numbers]).
  fill_normal(std::span<float>(reinterpret_cast<float*>(out.data()), 2 * out.size()), std::sqrt(variance / 2.0f));
}

}  // namespace sixg::phy
