// Vectors wider than the target's registers pass only between inline functions of this file, so the
// calling-convention note does not apply.
#pragma GCC diagnostic ignored "-Wpsabi"

#include "sixg/phy/random/random_stream.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "philox_simd.h"
#include "sixg/phy/random/gaussian_kernels.h"

namespace sixg::phy {
namespace {

using random_kernels::kLanes;
using random_kernels::PhiloxWords;
using random_kernels::v8f;
using random_kernels::v8i;
using random_kernels::v8u;
using random_kernels::VectorLanes;
using random_kernels::vf;
using random_kernels::vu;

constexpr std::size_t kGroupBlocks = kLanes;  // blocks per vector step
constexpr std::size_t kGroupFloats = 4 * kGroupBlocks;
constexpr std::size_t kBitsPerBlock = 128;

// Float outputs (uniforms, normals): in each 8-lane half, lane l computes block {0,2,4,6,1,3,5,7}[l] of
// that half, so the in-128-bit-half 4x4 transpose of store_half() leaves blocks (0,1), (2,3), (4,5),
// (6,7) in its four result registers, in memory order, with no cross-half shuffle.
static_assert(kLanes == 16, "lane tables below are written for 16 lanes");
constexpr vu kFloatLaneBlock = {v8u{0, 2, 4, 6, 1, 3, 5, 7}, v8u{8, 10, 12, 14, 9, 11, 13, 15}};
constexpr vu kNaturalLaneBlock = {v8u{0, 1, 2, 3, 4, 5, 6, 7}, v8u{8, 9, 10, 11, 12, 13, 14, 15}};

/// Writes out[4 b + m] = v_m[lane of block b] for the 8 blocks of one 8-lane half (32 floats).
void store_half(float* out, v8f v0, v8f v1, v8f v2, v8f v3) {
  const v8f t0 = __builtin_shuffle(v0, v1, v8i{0, 8, 1, 9, 4, 12, 5, 13});
  const v8f t1 = __builtin_shuffle(v0, v1, v8i{2, 10, 3, 11, 6, 14, 7, 15});
  const v8f t2 = __builtin_shuffle(v2, v3, v8i{0, 8, 1, 9, 4, 12, 5, 13});
  const v8f t3 = __builtin_shuffle(v2, v3, v8i{2, 10, 3, 11, 6, 14, 7, 15});
  const v8f r0 = __builtin_shuffle(t0, t2, v8i{0, 1, 8, 9, 4, 5, 12, 13});    // blocks 0 | 1
  const v8f r1 = __builtin_shuffle(t0, t2, v8i{2, 3, 10, 11, 6, 7, 14, 15});  // blocks 2 | 3
  const v8f r2 = __builtin_shuffle(t1, t3, v8i{0, 1, 8, 9, 4, 5, 12, 13});    // blocks 4 | 5
  const v8f r3 = __builtin_shuffle(t1, t3, v8i{2, 3, 10, 11, 6, 7, 14, 15});  // blocks 6 | 7
  std::memcpy(out, &r0, sizeof r0);
  std::memcpy(out + 8, &r1, sizeof r1);
  std::memcpy(out + 16, &r2, sizeof r2);
  std::memcpy(out + 24, &r3, sizeof r3);
}

/// Writes out[4 b + m] = v_m[lane of block b] for the kGroupBlocks blocks of a group.
[[gnu::always_inline]] inline void store_blocks(float* out, vf v0, vf v1, vf v2, vf v3) {
  store_half(out, v0.lo, v1.lo, v2.lo, v3.lo);
  store_half(out + 32, v0.hi, v1.hi, v2.hi, v3.hi);
}

[[gnu::always_inline]] inline PhiloxWords group_words(std::uint32_t first_block, vu lane_block,
                                                      const PhiloxCounter& counter, const PhiloxKey& key) {
  return random_kernels::philox4x32_10_lanes(lane_block + first_block, counter, key);
}

/// The 4 * kGroupBlocks normals of blocks first_block .. first_block + kGroupBlocks - 1, times stddev, in
/// block order.
void normals_group(std::uint32_t first_block, const PhiloxCounter& counter, const PhiloxKey& key, float stddev,
                   float* out) {
  using random_kernels::top24;
  const PhiloxWords w = group_words(first_block, kFloatLaneBlock, counter, key);
  vf z0, z1, z2, z3;
  random_kernels::box_muller<VectorLanes>(top24(w.w0), top24(w.w1), z0, z1);
  random_kernels::box_muller<VectorLanes>(top24(w.w2), top24(w.w3), z2, z3);
  store_blocks(out, z0 * stddev, z1 * stddev, z2 * stddev, z3 * stddev);
}

void uniforms_group(std::uint32_t first_block, const PhiloxCounter& counter, const PhiloxKey& key, float* out) {
  using random_kernels::top24;
  using random_kernels::uniform24;
  const PhiloxWords w = group_words(first_block, kFloatLaneBlock, counter, key);
  store_blocks(out, uniform24<VectorLanes>(top24(w.w0)), uniform24<VectorLanes>(top24(w.w1)),
               uniform24<VectorLanes>(top24(w.w2)), uniform24<VectorLanes>(top24(w.w3)));
}

/// dst[b] = bit b of word, b = 0..31.
void expand_word_bits(std::uint32_t word, std::uint8_t* dst) {
#if defined(__AVX2__)
  // Byte i of the result looks at byte i / 8 of the word (pshufb works within 128-bit halves, and the
  // broadcast word sits in both), masks bit i % 8 and maps nonzero to 1.
  const __m256i v = _mm256_set1_epi32(static_cast<int>(word));
  const __m256i byte_of = _mm256_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1,  //
                                           2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3);
  const __m256i bit_of = _mm256_set1_epi64x(static_cast<long long>(0x8040201008040201ull));
  const __m256i masked = _mm256_and_si256(_mm256_shuffle_epi8(v, byte_of), bit_of);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst), _mm256_min_epu8(masked, _mm256_set1_epi8(1)));
#else
  for (int b = 0; b < 32; ++b) dst[b] = static_cast<std::uint8_t>((word >> b) & 1u);
#endif
}

}  // namespace

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
    const PhiloxWords w = group_words(counter_[0], kNaturalLaneBlock, counter_, key_);
    std::uint32_t words[4][kGroupBlocks];
    const vu* by_index[4] = {&w.w0, &w.w1, &w.w2, &w.w3};
    for (int m = 0; m < 4; ++m) {
      std::memcpy(words[m], &by_index[m]->lo, sizeof(v8u));
      std::memcpy(words[m] + 8, &by_index[m]->hi, sizeof(v8u));
    }
    for (std::size_t b = 0; b < kGroupBlocks; ++b) {
      for (std::size_t m = 0; m < 4; ++m) expand_word_bits(words[m][b], &bits[i + b * kBitsPerBlock + 32 * m]);
    }
    counter_[0] += kGroupBlocks;
  }
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
    uniforms_group(counter_[0], counter_, key_, &out[i]);
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
    normals_group(counter_[0], counter_, key_, stddev, &out[i]);
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
      normals_group(counter_[0], counter_, key_, 1.0f, unit);
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
