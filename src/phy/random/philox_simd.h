// kLanes (16) Philox4x32-10 blocks at once (one block per lane) and the 16-lane policy for the
// templated uniform/normal kernels of sixg/phy/random/gaussian_kernels.h.
//
// A lane vector is a pair of 8-lane GCC vector-extension vectors (one AVX2 register each in the AVX2
// kernel copy, two SSE2 registers each in the baseline copy of a portable build; see src/phy/simd). Two independent halves give the core two
// interleaved dependency chains: one 8-lane chain leaves the pipes idle on multiply/divide/sqrt
// latency. (A 64-byte vector_size type would say the same, but GCC 12 lowers it through memory on
// AVX2.) The operations the extensions lack (32x32->64 multiply, sqrt) use AVX2/AVX/SSE intrinsics
// where the target has them (random_stream_kernels.h, sqrt8 below) and a per-lane loop otherwise. Integer results are exact and sqrt is correctly rounded
// on every path, so every target gives the bits of the scalar reference philox4x32_10 /
// random_kernels::ScalarLanes. Private to src/phy/random: vectors pass only between inline functions.
#pragma once

#include <cmath>
#include <cstdint>

#include <cstring>

#if defined(__SSE__)
#include <immintrin.h>
#endif

#include "sixg/phy/random/philox.h"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"

namespace sixg::phy::random_kernels {

using v8u = std::uint32_t __attribute__((vector_size(32)));
using v8i = std::int32_t __attribute__((vector_size(32)));
using v8f = float __attribute__((vector_size(32)));
using v4f = float __attribute__((vector_size(16)));

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

// Correctly rounded per lane on every path. Without AVX in the build's flags it is two SSE square roots
// (baseline x86-64) rather than an AVX one: VectorLanes is used inside the shared templates of
// gaussian_kernels.h, and a target-specific (AVX) instruction there could not be inlined into them.
[[gnu::always_inline]] inline v8f sqrt8(v8f x) {
#if defined(__AVX__)
  return reinterpret_cast<v8f>(_mm256_sqrt_ps(reinterpret_cast<__m256>(x)));
#elif defined(__SSE__)
  v4f lo, hi;
  std::memcpy(&lo, &x, sizeof lo);
  std::memcpy(&hi, reinterpret_cast<const char*>(&x) + sizeof lo, sizeof hi);
  lo = reinterpret_cast<v4f>(_mm_sqrt_ps(reinterpret_cast<__m128>(lo)));
  hi = reinterpret_cast<v4f>(_mm_sqrt_ps(reinterpret_cast<__m128>(hi)));
  std::memcpy(&x, &lo, sizeof lo);
  std::memcpy(reinterpret_cast<char*>(&x) + sizeof lo, &hi, sizeof hi);
  return x;
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

/// Top 24 bits of each word as int32 (the k of random_kernels::uniform24 / sincos_turn24).
[[gnu::always_inline]] inline vi top24(vu w) {
  return {reinterpret_cast<v8i>(w.lo >> 8), reinterpret_cast<v8i>(w.hi >> 8)};
}

}  // namespace sixg::phy::random_kernels

#pragma GCC diagnostic pop
