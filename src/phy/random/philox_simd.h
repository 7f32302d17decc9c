// kLanes (16) Philox4x32-10 blocks at once (one block per lane) and the 16-lane policy for the
// templated uniform/normal kernels of sixg/phy/random/gaussian_kernels.h.
//
// A lane vector is a pair of 8-lane GCC vector-extension vectors (one AVX2 register each with
// -march=native, two SSE2 registers each otherwise). Two independent halves give the core two
// interleaved dependency chains: one 8-lane chain leaves the pipes idle on multiply/divide/sqrt
// latency. (A 64-byte vector_size type would say the same, but GCC 12 lowers it through memory on
// AVX2.) The operations the extensions lack (32x32->64 multiply, sqrt) use AVX2/AVX intrinsics when
// available and a per-lane loop otherwise. Integer results are exact and sqrt is correctly rounded
// on every path, so every target gives the bits of the scalar reference philox4x32_10 /
// random_kernels::ScalarLanes. Private to src/phy/random: vectors pass only between inline functions.
#pragma once

#include <cmath>
#include <cstdint>

#if defined(__AVX__)
#include <immintrin.h>
#endif

#include "sixg/phy/random/philox.h"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"

namespace sixg::phy::random_kernels {

using v8u = std::uint32_t __attribute__((vector_size(32)));
using v8i = std::int32_t __attribute__((vector_size(32)));
using v8f = float __attribute__((vector_size(32)));

/// Two 8-lane vectors as one 16-lane value; element-wise operators apply to both halves.
template <class V>
struct Pair {
  V lo, hi;  // lanes 0-7, 8-15
};

#define SIXG_PAIR_BINARY_OPERATOR(op)                                       \
  template <class V>                                                        \
  [[gnu::always_inline]] inline Pair<V> operator op(Pair<V> x, Pair<V> y) { \
    return {x.lo op y.lo, x.hi op y.hi};                                    \
  }                                                                         \
  template <class V, class S>                                               \
  [[gnu::always_inline]] inline Pair<V> operator op(Pair<V> x, S s) {       \
    return {x.lo op s, x.hi op s};                                          \
  }                                                                         \
  template <class V, class S>                                               \
  [[gnu::always_inline]] inline Pair<V> operator op(S s, Pair<V> x) {       \
    return {s op x.lo, s op x.hi};                                          \
  }
SIXG_PAIR_BINARY_OPERATOR(+)
SIXG_PAIR_BINARY_OPERATOR(-)
SIXG_PAIR_BINARY_OPERATOR(*)
SIXG_PAIR_BINARY_OPERATOR(/)
SIXG_PAIR_BINARY_OPERATOR(&)
SIXG_PAIR_BINARY_OPERATOR(|)
SIXG_PAIR_BINARY_OPERATOR(^)
SIXG_PAIR_BINARY_OPERATOR(<<)
SIXG_PAIR_BINARY_OPERATOR(>>)
#undef SIXG_PAIR_BINARY_OPERATOR

template <class V>
[[gnu::always_inline]] inline Pair<V> operator-(Pair<V> x) {
  return {-x.lo, -x.hi};
}
template <class V>
[[gnu::always_inline]] inline Pair<V> operator~(Pair<V> x) {
  return {~x.lo, ~x.hi};
}

inline constexpr int kLanes = 16;
using vu = Pair<v8u>;
using vi = Pair<v8i>;
using vf = Pair<v8f>;

[[gnu::always_inline]] inline v8f sqrt8(v8f x) {
#if defined(__AVX__)
  return reinterpret_cast<v8f>(_mm256_sqrt_ps(reinterpret_cast<__m256>(x)));
#else
  for (int i = 0; i < 8; ++i) x[i] = std::sqrt(x[i]);
  return x;
#endif
}

struct VectorLanes {
  using F = vf;
  using I = vi;
  [[gnu::always_inline]] static F to_float(I x) {
    return {__builtin_convertvector(x.lo, v8f), __builtin_convertvector(x.hi, v8f)};
  }
  [[gnu::always_inline]] static I as_int(F x) { return {reinterpret_cast<v8i>(x.lo), reinterpret_cast<v8i>(x.hi)}; }
  [[gnu::always_inline]] static F as_float(I x) { return {reinterpret_cast<v8f>(x.lo), reinterpret_cast<v8f>(x.hi)}; }
  [[gnu::always_inline]] static F sqrt(F x) { return {sqrt8(x.lo), sqrt8(x.hi)}; }
};

/// hi:lo = a * m per lane (32 x 32 -> 64 bits).
[[gnu::always_inline]] inline void mulhilo8(v8u a, std::uint32_t m, v8u& hi, v8u& lo) {
#if defined(__AVX2__)
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

/// The four output words of kLanes blocks, lane l holding the block with counter (c0[l], c1, c2, c3).
struct PhiloxWords {
  vu w0, w1, w2, w3;
};

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

/// Top 24 bits of each word as int32 (the k of random_kernels::uniform24 / sincos_turn24).
[[gnu::always_inline]] inline vi top24(vu w) {
  return {reinterpret_cast<v8i>(w.lo >> 8), reinterpret_cast<v8i>(w.hi >> 8)};
}

}  // namespace sixg::phy::random_kernels

#pragma GCC diagnostic pop
