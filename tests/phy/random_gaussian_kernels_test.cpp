// Accuracy of the polynomial log / sin / cos behind the Box-Muller normals, measured against double
// std::log / std::sin / std::cos over every argument the generator can produce (all 2^24 values of
// the 24-bit integer k). Errors are in units in the last place (ulp) of the float nearest the exact
// result, so the bounds hold everywhere, including near zeros of sin/cos and near u = 1.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <iostream>
#include <numbers>

#include "sixg/phy/random/gaussian_kernels.h"

namespace {

using sixg::phy::random_kernels::ScalarLanes;

constexpr std::int32_t kNumK = 1 << 24;
// Release builds check every k; sanitizer builds (several times slower) every 3rd one.
#if defined(SIXG_SANITIZE)
constexpr std::int32_t kStep = 3;
#else
constexpr std::int32_t kStep = 1;
#endif

/// |got - exact| in ulps of float(exact); an exact 0 must be hit exactly.
double ulp_error(float got, double exact) {
  if (exact == 0.0) return got == 0.0f ? 0.0 : INFINITY;
  int exponent = 0;
  std::frexp(static_cast<float>(exact), &exponent);  // |x| in [2^(e-1), 2^e)
  const double ulp = std::ldexp(1.0, exponent - 24);
  return std::abs(static_cast<double>(got) - exact) / ulp;
}

TEST(GaussianKernels, UniformIsTheDocumentedOpenIntervalGrid) {
  using sixg::phy::random_kernels::uniform24;
  EXPECT_EQ(uniform24<ScalarLanes>(0), 0x1p-25f);  // smallest: never 0, so log is finite
  EXPECT_EQ(uniform24<ScalarLanes>(1), 1.5f * 0x1p-24f);
  EXPECT_EQ(uniform24<ScalarLanes>(kNumK / 2), 0.5f + 0x1p-25f);
  EXPECT_LE(uniform24<ScalarLanes>(kNumK - 1), 1.0f);
}

TEST(GaussianKernels, LogIsWithinTwoUlpOnEveryUniform) {
  using sixg::phy::random_kernels::log_unit;
  using sixg::phy::random_kernels::uniform24;
  double worst = 0.0;
  std::int32_t worst_k = -1;
  for (std::int32_t k = 0; k < kNumK; k += kStep) {
    const float u = uniform24<ScalarLanes>(k);
    const double err = ulp_error(log_unit<ScalarLanes>(u), std::log(static_cast<double>(u)));
    if (err > worst) worst = err, worst_k = k;
  }
  std::cout << "log_unit: max error " << worst << " ulp at k = " << worst_k << "\n";
  EXPECT_LE(worst, 2.0);
  // The range includes powers of two (e changes) and u = 1 (log exactly 0).
  EXPECT_EQ(log_unit<ScalarLanes>(1.0f), 0.0f);
  EXPECT_EQ(log_unit<ScalarLanes>(0.5f), -static_cast<float>(std::numbers::ln2));
}

TEST(GaussianKernels, SinCosAreWithinTwoUlpOnEveryAngle) {
  using sixg::phy::random_kernels::sincos_turn24;
  double worst_sin = 0.0, worst_cos = 0.0;
  for (std::int32_t k = 0; k < kNumK; k += kStep) {
    const double t = 2.0 * std::numbers::pi * (k + 0.5) / kNumK;
    float s = 0.0f, c = 0.0f;
    sincos_turn24<ScalarLanes>(k, s, c);
    worst_sin = std::max(worst_sin, ulp_error(s, std::sin(t)));
    worst_cos = std::max(worst_cos, ulp_error(c, std::cos(t)));
  }
  std::cout << "sincos_turn24: max error sin " << worst_sin << " ulp, cos " << worst_cos << " ulp\n";
  EXPECT_LE(worst_sin, 2.0);
  EXPECT_LE(worst_cos, 2.0);
}

TEST(GaussianKernels, BoxMullerRadiusAndAngleComeFromTheirOwnWords) {
  // r^2 = -2 ln u(k_radius) and atan2(z_sin, z_cos) = t(k_angle): swapping the words would fail this.
  using sixg::phy::random_kernels::box_muller;
  for (const auto& [k_radius, k_angle] : {std::pair{12345, 9000000}, std::pair{16000000, 77}, std::pair{3, 4194304}}) {
    float z_cos = 0.0f, z_sin = 0.0f;
    box_muller<ScalarLanes>(k_radius, k_angle, z_cos, z_sin);
    const double u = (k_radius + 0.5) / kNumK, t = 2.0 * std::numbers::pi * (k_angle + 0.5) / kNumK;
    const double r = std::sqrt(-2.0 * std::log(u));
    EXPECT_NEAR(z_cos, r * std::cos(t), 4e-7 * r);
    EXPECT_NEAR(z_sin, r * std::sin(t), 4e-7 * r);
  }
}

}  // namespace
