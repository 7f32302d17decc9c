// Private to src/phy: fixed-width SIMD vectors (GCC vector extensions) for kernels where lane l of every
// vector belongs to one independent problem (a subcarrier, a column). Included by kernel headers, once
// per SIMD kernel target region (src/phy/simd/for_each_kernel_target.h): the functions live in
// sixg::phy::simd::SIXG_SIMD_NS::lanes and use that target's instructions.
// Every operation is element-wise, so a lane's result depends only on that lane's inputs: never on its
// position, the buffer's alignment or how many lanes were valid. No FMA anywhere (the build disables
// contraction and neither kernel target enables FMA), so every target gives the same bits.
#ifndef SIXG_SIMD_LANE_VECTORS_IN_REGION  // once per target region (for_each_kernel_target.h resets it)
#define SIXG_SIMD_LANE_VECTORS_IN_REGION

#include <cmath>
#include <cstring>

#if defined(__SSE2__)
#include <immintrin.h>
#endif

// The vector types travel only between inline functions of the including file, so the AVX
// calling-convention note does not apply.
#pragma GCC diagnostic ignored "-Wpsabi"

namespace sixg::phy::simd::SIXG_SIMD_NS::lanes {

using v8f = float __attribute__((vector_size(32)));   // 8 float lanes
using v4f = float __attribute__((vector_size(16)));   // half of v8f
using v4d = double __attribute__((vector_size(32)));  // 4 double lanes
using v8i = int __attribute__((vector_size(32)));
using v4l = long long __attribute__((vector_size(32)));  // comparison masks of v4d

inline v8f load8(const float* p) {
  v8f v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store8(float* p, v8f v) { std::memcpy(p, &v, sizeof v); }
inline v4d load4(const double* p) {
  v4d v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store4(double* p, v4d v) { std::memcpy(p, &v, sizeof v); }

/// Lanes [4 * half, 4 * half + 4) of 8 floats at p, widened to double (exact).
inline v4d load_half_as_double(const float* p, int half) {
  v4f v;
  std::memcpy(&v, p + 4 * half, sizeof v);
  return __builtin_convertvector(v, v4d);
}
/// Rounds 4 doubles to float (round to nearest) into lanes [4 * half, 4 * half + 4) of 8 floats at p.
inline void store_half_as_float(float* p, int half, v4d v) {
  const v4f f = __builtin_convertvector(v, v4f);
  std::memcpy(p + 4 * half, &f, sizeof f);
}

/// Broadcasts without arithmetic (0 + x would turn -0 into +0).
inline v8f splat8(float x) { return v8f{x, x, x, x, x, x, x, x}; }
inline v4d splat4(double x) { return v4d{x, x, x, x}; }

/// Element-wise max(a, b) as std::max(a, b) per lane (returns a unless a < b).
inline v4d max4(v4d a, v4d b) { return a < b ? b : a; }

/// Correctly rounded square root per lane (IEEE: the AVX instruction and std::sqrt agree bit for bit).
inline v4d sqrt4(v4d v) {
#if SIXG_SIMD_AVX2
  __m256d x;
  std::memcpy(&x, &v, sizeof x);
  x = _mm256_sqrt_pd(x);
  std::memcpy(&v, &x, sizeof x);
  return v;
#elif defined(__SSE2__)
  __m128d lo, hi;
  std::memcpy(&lo, &v, sizeof lo);
  std::memcpy(&hi, reinterpret_cast<const char*>(&v) + sizeof lo, sizeof hi);
  lo = _mm_sqrt_pd(lo);
  hi = _mm_sqrt_pd(hi);
  std::memcpy(&v, &lo, sizeof lo);
  std::memcpy(reinterpret_cast<char*>(&v) + sizeof lo, &hi, sizeof hi);
  return v;
#else
  for (int l = 0; l < 4; ++l) v[l] = std::sqrt(v[l]);
  return v;
#endif
}

/// 8 interleaved complex values (re, im, re, im, ...) -> their real and imaginary parts, lane l = value l.
inline void deinterleave(const float* p, v8f& re, v8f& im) {
  const v8f a = load8(p), b = load8(p + 8);
  re = __builtin_shuffle(a, b, v8i{0, 2, 4, 6, 8, 10, 12, 14});
  im = __builtin_shuffle(a, b, v8i{1, 3, 5, 7, 9, 11, 13, 15});
}
/// Inverse of deinterleave: 16 floats at p.
inline void interleave(float* p, v8f re, v8f im) {
  store8(p, __builtin_shuffle(re, im, v8i{0, 8, 1, 9, 2, 10, 3, 11}));
  store8(p + 8, __builtin_shuffle(re, im, v8i{4, 12, 5, 13, 6, 14, 7, 15}));
}

}  // namespace sixg::phy::simd::SIXG_SIMD_NS::lanes

#endif  // SIXG_SIMD_LANE_VECTORS_IN_REGION
