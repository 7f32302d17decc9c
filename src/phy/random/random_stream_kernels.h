// The vector kernels of random_stream.cpp (16 Philox blocks per step), compiled once per SIMD kernel
// target (src/phy/simd/for_each_kernel_target.h: no include guard, everything in SIXG_SIMD_NS).
// Integer Philox and correctly rounded float steps: every target gives the scalar reference's bits.

namespace sixg::phy::random_kernels::SIXG_SIMD_NS {
namespace {

/// The four output words of kLanes blocks, lane l holding the block with counter (c0[l], c1, c2, c3).
struct PhiloxWords {
  vu w0, w1, w2, w3;
};

/// hi:lo = a * m per lane (32 x 32 -> 64 bits).
[[gnu::always_inline]] inline void mulhilo8(v8u a, std::uint32_t m, v8u& hi, v8u& lo) {
#if SIXG_SIMD_AVX2
  const __m256i va = reinterpret_cast<__m256i>(a), vm = _mm256_set1_epi32(static_cast<int>(m));
  // vpmuludq multiplies the even 32-bit lanes into 64-bit products; shifting by 32 brings the odd ones.
  const __m256i even = _mm256_mul_epu32(va, vm);
  const __m256i odd = _mm256_mul_epu32(_mm256_shuffle_epi32(va, 0xF5), vm);
  hi = reinterpret_cast<v8u>(_mm256_blend_epi32(_mm256_shuffle_epi32(even, 0xF5), odd, 0xAA));
  lo = reinterpret_cast<v8u>(_mm256_blend_epi32(even, _mm256_shuffle_epi32(odd, 0xA0), 0xAA));
#else
  for (int i = 0; i < 8; ++i) {
    const std::uint64_t p = static_cast<std::uint64_t>(a[i]) * m;
    hi[i] = static_cast<std::uint32_t>(p >> 32);
    lo[i] = static_cast<std::uint32_t>(p);
  }
#endif
}

[[gnu::always_inline]] inline void mulhilo(vu a, std::uint32_t m, vu& hi, vu& lo) {
  mulhilo8(a.lo, m, hi.lo, lo.lo);
  mulhilo8(a.hi, m, hi.hi, lo.hi);
}

[[gnu::always_inline]] inline PhiloxWords philox4x32_10_lanes(vu c0, const PhiloxCounter& counter, PhiloxKey key) {
  const v8u zero{};
  vu x0 = c0, x1{zero + counter[1], zero + counter[1]}, x2{zero + counter[2], zero + counter[2]},
     x3{zero + counter[3], zero + counter[3]};
  for (int round = 0; round < kPhiloxRounds; ++round) {
    vu hi0, lo0, hi1, lo1;
    mulhilo(x0, kPhiloxM0, hi0, lo0);
    mulhilo(x2, kPhiloxM1, hi1, lo1);
    x0 = hi1 ^ x1 ^ key[0];
    x1 = lo1;
    x2 = hi0 ^ x3 ^ key[1];
    x3 = lo0;
    key[0] += kPhiloxW0;
    key[1] += kPhiloxW1;
  }
  return {x0, x1, x2, x3};
}

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
  return philox4x32_10_lanes(lane_block + first_block, counter, key);
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
#if SIXG_SIMD_AVX2
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

/// Expands the 128 bits of each of the kGroupBlocks blocks first_block.. into bytes, block after block.
void bits_group(std::uint32_t first_block, const PhiloxCounter& counter, const PhiloxKey& key, std::uint8_t* out) {
  const PhiloxWords w = group_words(first_block, kNaturalLaneBlock, counter, key);
  std::uint32_t words[4][kGroupBlocks];
  const vu* by_index[4] = {&w.w0, &w.w1, &w.w2, &w.w3};
  for (int m = 0; m < 4; ++m) {
    std::memcpy(words[m], &by_index[m]->lo, sizeof(v8u));
    std::memcpy(words[m] + 8, &by_index[m]->hi, sizeof(v8u));
  }
  for (std::size_t b = 0; b < kGroupBlocks; ++b) {
    for (std::size_t m = 0; m < 4; ++m) expand_word_bits(words[m][b], &out[b * kBitsPerBlock + 32 * m]);
  }
}

}  // namespace
}  // namespace sixg::phy::random_kernels::SIXG_SIMD_NS
