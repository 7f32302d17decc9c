// The arithmetic that turns Philox words into uniforms and normals, written once as templates on a
// "lanes" policy L (L::F: float or an N-lane float vector, L::I: the matching int32 type). The SIMD
// path of RandomStream instantiates them with 16-lane vectors, tests with ScalarLanes: both execute the
// same IEEE operations in the same order, so they give the same bits (the build has
// -ffp-contract=off; nothing here uses FMA, library math or reassociation).
//
// Definitions (k = word >> 8, the top 24 bits of a Philox word):
//   uniform24(k)  = (k + 0.5) / 2^24 rounded as (float(k) + 0.5f) * 2^-24, in (0, 1] (1 only for
//                   k = 2^24 - 1, where the float sum rounds up; never 0).
//   sincos_turn24 = sin and cos of 2*pi*(k + 0.5)/2^24, range-reduced exactly in integers.
//   box_muller    = r = sqrt(-2 ln uniform24(k_radius)), (r cos t, r sin t) with t from k_angle.
// Measured accuracy (tests/phy/random_gaussian_kernels_test.cpp, exhaustive over all 2^24 arguments,
// against double std::log/sin/cos, in ulps of the correctly rounded float): log_unit 0.82 ulp,
// sin and cos 1.88 ulp (asserted: <= 2 ulp).
#pragma once

#include <bit>
#include <climits>
#include <cmath>
#include <cstdint>
#include <numbers>

namespace sixg::phy::random_kernels {

/// One lane: the scalar reference of every vector kernel.
struct ScalarLanes {
  using F = float;
  using I = std::int32_t;
  static F to_float(I x) { return static_cast<float>(x); }
  static I as_int(F x) { return std::bit_cast<I>(x); }
  static F as_float(I x) { return std::bit_cast<F>(x); }
  static F sqrt(F x) { return std::sqrt(x); }  // IEEE correctly rounded, as the vector sqrt
};

/// Top 24 bits of a Philox word as a non-negative int32 (scalar form; vectors shift the same way).
inline std::int32_t top24(std::uint32_t word) { return static_cast<std::int32_t>(word >> 8); }

/// Uniform on (0, 1] from a 24-bit integer k: (float(k) + 0.5f) * 2^-24.
template <class L>
[[gnu::always_inline]] inline typename L::F uniform24(typename L::I k) {
  return (L::to_float(k) + 0.5f) * 0x1p-24f;
}

/// Natural log of u in (0, 1] (u normal, i.e. >= 2^-126). u = 2^e * m with m in [sqrt(1/2), sqrt(2)),
/// f = m - 1 (exact), s = f / (2 + f); ln(1 + f) = 2 atanh(s) = f - hfsq + s (hfsq + R) with
/// hfsq = f^2/2 and R = 2 s^2/3 + 2 s^4/5 + ... (|s| <= 0.1716, so the series cut after s^8 is off by
/// < 2e-9 relative). ln 2 is split so that e * ln2_hi is exact (17-bit ln2_hi, |e| <= 126).
template <class L>
[[gnu::always_inline]] inline typename L::F log_unit(typename L::F u) {
  using F = typename L::F;
  using I = typename L::I;
  constexpr std::int32_t kOne = 0x3f800000, kSqrtHalf = 0x3f3504f3;
  constexpr float kLn2Hi = 0x1.62e3p-1f;  // 0.693145751953125 (17 significant bits)
  constexpr float kLn2Lo = static_cast<float>(std::numbers::ln2 - 0x1.62e3p-1);
  // Adding (1 - sqrt(1/2)) in the bit domain carries mantissas >= sqrt(1/2) into the next exponent, so
  // the exponent field then gives e for m in [sqrt(1/2), sqrt(2)).
  const I ix = L::as_int(u) + (kOne - kSqrtHalf);
  const F e = L::to_float((ix >> 23) - 127);
  const F f = L::as_float((ix & 0x007fffff) + kSqrtHalf) - 1.0f;
  const F s = f / (2.0f + f);
  const F z = s * s;
  constexpr float kR1 = 2.0f / 3.0f, kR2 = 2.0f / 5.0f, kR3 = 2.0f / 7.0f, kR4 = 2.0f / 9.0f;
  const F r = z * (kR1 + z * (kR2 + z * (kR3 + z * kR4)));
  const F hfsq = 0.5f * f * f;
  return e * kLn2Hi - ((hfsq - (s * (hfsq + r) + e * kLn2Lo)) - f);
}

/// sin and cos of t = 2 pi (k + 0.5) / 2^24 for 0 <= k < 2^24. Reduction in integers: q = nearest
/// quarter turn, rem = k - q 2^22 in [-2^21, 2^21), x = (rem + 0.5) pi / 2^23 in (-pi/4, pi/4) (the
/// only rounding is one multiply); then Taylor polynomials (truncation < 3e-9 relative on that range)
/// and a quadrant swap/sign flip done on the bit patterns.
template <class L>
[[gnu::always_inline]] inline void sincos_turn24(typename L::I k, typename L::F& sin_t, typename L::F& cos_t) {
  using F = typename L::F;
  using I = typename L::I;
  constexpr float kRadiansPerUnit = static_cast<float>(std::numbers::pi * 0x1p-23);
  constexpr float kS3 = static_cast<float>(-1.0 / 6.0), kS5 = static_cast<float>(1.0 / 120.0);
  constexpr float kS7 = static_cast<float>(-1.0 / 5040.0), kS9 = static_cast<float>(1.0 / 362880.0);
  constexpr float kC4 = static_cast<float>(1.0 / 24.0), kC6 = static_cast<float>(-1.0 / 720.0);
  constexpr float kC8 = static_cast<float>(1.0 / 40320.0), kC10 = static_cast<float>(-1.0 / 3628800.0);
  constexpr std::int32_t kSignBit = INT32_MIN;

  const I q = (k + (1 << 21)) >> 22;  // 0..4; 4 is the same quarter as 0
  const I rem = k - (q << 22);
  const F x = (L::to_float(rem) + 0.5f) * kRadiansPerUnit;
  const F z = x * x;
  const F s = x + x * z * (kS3 + z * (kS5 + z * (kS7 + z * kS9)));
  const F c = 1.0f - 0.5f * z + z * z * (kC4 + z * (kC6 + z * (kC8 + z * kC10)));
  // t = q pi/2 + x: odd quarters swap sin and cos; sin < 0 in quarters 2, 3; cos < 0 in quarters 1, 2.
  const I swap = -(q & 1);
  const I s_bits = L::as_int(s), c_bits = L::as_int(c);
  const I sin_bits = (s_bits & ~swap) | (c_bits & swap);
  const I cos_bits = (c_bits & ~swap) | (s_bits & swap);
  sin_t = L::as_float(sin_bits ^ (-((q >> 1) & 1) & kSignBit));
  cos_t = L::as_float(cos_bits ^ (-(((q + 1) >> 1) & 1) & kSignBit));
}

/// Box-Muller on one pair of words (given by their top 24 bits): two independent N(0, 1).
template <class L>
[[gnu::always_inline]] inline void box_muller(typename L::I k_radius, typename L::I k_angle, typename L::F& z_cos,
                                              typename L::F& z_sin) {
  using F = typename L::F;
  const F r = L::sqrt(-2.0f * log_unit<L>(uniform24<L>(k_radius)));
  F sin_t, cos_t;
  sincos_turn24<L>(k_angle, sin_t, cos_t);
  z_cos = r * cos_t;
  z_sin = r * sin_t;
}

}  // namespace sixg::phy::random_kernels
