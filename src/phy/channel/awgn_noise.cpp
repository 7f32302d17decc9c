#include "sixg/phy/channel/awgn_noise.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

namespace sixg::phy {

void add_awgn(RandomStream& rng, std::span<cf32> y, float n0) {
  if (!(n0 >= 0.0f) || !std::isfinite(n0)) throw std::invalid_argument("add_awgn: n0 must be finite and >= 0");
  if (n0 == 0.0f) return;
  // The scratch stays in L1 next to the slice of y it is added to. Any chunk size gives the draws of
  // one call over all of y (RandomStream continues normals inside a block); a multiple of 32 complex
  // values (= 16 Philox blocks) keeps every chunk on the generator's vector path.
  constexpr std::size_t kChunk = 512;
  std::array<cf32, kChunk> noise;
  for (std::size_t begin = 0; begin < y.size(); begin += kChunk) {
    const std::size_t count = std::min(kChunk, y.size() - begin);
    rng.fill_complex_normal(std::span<cf32>(noise.data(), count), n0);
    for (std::size_t i = 0; i < count; ++i) y[begin + i] += noise[i];
  }
}

}  // namespace sixg::phy
