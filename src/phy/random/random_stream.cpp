// Vectors wider than the target's registers pass only between inline functions of this file, so the
// calling-convention note does not apply.
#pragma GCC diagnostic ignored "-Wpsabi"

#include "sixg/phy/random/random_stream.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "philox_simd.h"
#include "sixg/phy/random/gaussian_kernels.h"

namespace sixg::phy::random_kernels {

constexpr std::size_t kGroupBlocks = kLanes;  // blocks per vector step
constexpr std::size_t kGroupFloats = 4 * kGroupBlocks;
constexpr std::size_t kBitsPerBlock = 128;

// Float outputs (uniforms, normals): in each 8-lane half, lane l computes block {0,2,4,6,1,3,5,7}[l] of
// that half, so the in-128-bit-half 4x4 transpose of store_half() leaves blocks (0,1), (2,3), (4,5),
// (6,7) in its four result registers, in memory order, with no cross-half shuffle.
static_assert(kLanes == 16, "lane tables below are written for 16 lanes");
constexpr vu kFloatLaneBlock = {v8u{0, 2, 4, 6, 1, 3, 5, 7}, v8u{8, 10, 12, 14, 9, 11, 13, 15}};
constexpr vu kNaturalLaneBlock = {v8u{0, 1, 2, 3, 4, 5, 6, 7}, v8u{8, 9, 10, 11, 12, 13, 14, 15}};

}  // namespace sixg::phy::random_kernels

#define SIXG_KERNELS "phy/random/random_stream_kernels.h"
#include "phy/simd/for_each_kernel_target.h"

namespace sixg::phy {

using random_kernels::kBitsPerBlock;
using random_kernels::kGroupBlocks;
using random_kernels::kGroupFloats;

RandomStream::RandomStream(std::uint64_t seed, std::uint32_t snr_index, std::uint64_t frame, RandomPurpose purpose)
    : key_{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)},
      counter_{0u, (static_cast<std::uint32_t>(purpose) << 16) | (snr_index & 0xFFFFu),
               static_cast<std::uint32_t>(frame), static_cast<std::uint32_t>(frame >> 32)} {}

void RandomStream::start_block(Form form) {
  block_ = philox4x32_10(counter_, key_);
  ++counter_[0];
  form_ = form;
  used_ = 0;
}

void RandomStream::enter_form(Form form) {
  if (form_ == form) return;
  // The rest of a block of another form is discarded: mark the current block used up in this form.
  form_ = form;
  used_ = form == Form::bits ? kBitsPerBlock : 4;
}

void RandomStream::fill_bits(std::span<std::uint8_t> bits) {
  const std::size_t n = bits.size();
  if (n == 0) return;
  enter_form(Form::bits);
  std::size_t i = 0;
  for (; used_ < kBitsPerBlock && i < n; ++used_, ++i) {
    bits[i] = static_cast<std::uint8_t>((block_[used_ / 32] >> (used_ % 32)) & 1u);
  }
  // From here on the current block is used up (or nothing is left to fill).
  constexpr std::size_t kGroupBits = kGroupBlocks * kBitsPerBlock;
  for (; n - i >= kGroupBits; i += kGroupBits) {
    SIXG_SIMD_DISPATCH(random_kernels, bits_group)(counter_[0], counter_, key_, &bits[i]);
    counter_[0] += kGroupBlocks;
  }
  const auto expand_word_bits = SIXG_SIMD_DISPATCH(random_kernels, expand_word_bits);  // chosen once per call
  for (; n - i >= kBitsPerBlock; i += kBitsPerBlock) {
    start_block(Form::bits);
    for (std::size_t m = 0; m < 4; ++m) expand_word_bits(block_[m], &bits[i + 32 * m]);
    used_ = kBitsPerBlock;
  }
  if (i < n) {
    start_block(Form::bits);
    for (; i < n; ++used_, ++i) bits[i] = static_cast<std::uint8_t>((block_[used_ / 32] >> (used_ % 32)) & 1u);
  }
}

void RandomStream::fill_uniform(std::span<float> out) {
  const std::size_t n = out.size();
  if (n == 0) return;
  enter_form(Form::words);
  std::size_t i = 0;
  for (; used_ < 4 && i < n; ++i) out[i] = next_uniform();
  for (; n - i >= kGroupFloats; i += kGroupFloats) {
    SIXG_SIMD_DISPATCH(random_kernels, uniforms_group)(counter_[0], counter_, key_, &out[i]);
    counter_[0] += kGroupBlocks;
  }
  for (; i < n; ++i) out[i] = next_uniform();
}

void RandomStream::fill_normal(std::span<float> out, float stddev) {
  const std::size_t n = out.size();
  if (n == 0) return;
  enter_form(Form::normals);
  std::size_t i = 0;
  for (; used_ < 4 && i < n; ++used_, ++i) out[i] = normals_[used_] * stddev;
  for (; n - i >= kGroupFloats; i += kGroupFloats) {
    SIXG_SIMD_DISPATCH(random_kernels, normals_group)(counter_[0], counter_, key_, stddev, &out[i]);
    counter_[0] += kGroupBlocks;
  }
  if (i < n) {
    // Fewer than kGroupFloats left: the first ceil(rest / 4) blocks of one more group of unit normals
    // (the scalar kernel for one or two blocks: same bits, less work for the many tiny draws of the
    // fading models); the last block may be partly used and is kept for the next call.
    const std::size_t rest = n - i, blocks = (rest + 3) / 4;
    float unit[kGroupFloats];
    if (blocks <= 2) {
      for (std::size_t b = 0; b < blocks; ++b) {
        const PhiloxCounter w =
            philox4x32_10({counter_[0] + static_cast<std::uint32_t>(b), counter_[1], counter_[2], counter_[3]}, key_);
        float* z = &unit[4 * b];
        random_kernels::box_muller<random_kernels::ScalarLanes>(random_kernels::top24(w[0]),
                                                                random_kernels::top24(w[1]), z[0], z[1]);
        random_kernels::box_muller<random_kernels::ScalarLanes>(random_kernels::top24(w[2]),
                                                                random_kernels::top24(w[3]), z[2], z[3]);
      }
    } else {
      SIXG_SIMD_DISPATCH(random_kernels, normals_group)(counter_[0], counter_, key_, 1.0f, unit);
    }
    for (std::size_t k = 0; k < rest; ++k) out[i + k] = unit[k] * stddev;
    std::copy_n(&unit[4 * (blocks - 1)], 4, normals_.begin());
    used_ = static_cast<unsigned>(rest - 4 * (blocks - 1));
    counter_[0] += static_cast<std::uint32_t>(blocks);
  }
}

void RandomStream::fill_complex_normal(std::span<cf32> out, float variance) {
  // A complex<float> is two contiguous floats (guaranteed by [complex.numbers]).
  fill_normal(std::span<float>(reinterpret_cast<float*>(out.data()), 2 * out.size()), std::sqrt(variance / 2.0f));
}

}  // namespace sixg::phy
