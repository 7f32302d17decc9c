// Philox4x32-10 against the Random123 known-answer vectors, and the stream's statistics/independence.
#include "sixg/phy/random/random_stream.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <vector>

using namespace sixg::phy;

TEST(Philox, KnownAnswerVectors) {
  // Random123 kat_vectors, philox4x32 with 10 rounds.
  EXPECT_EQ(philox4x32_10({0, 0, 0, 0}, {0, 0}),
            (PhiloxCounter{0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u}));
  EXPECT_EQ(philox4x32_10({0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu}, {0xffffffffu, 0xffffffffu}),
            (PhiloxCounter{0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu}));
  EXPECT_EQ(philox4x32_10({0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u}, {0xa4093822u, 0x299f31d0u}),
            (PhiloxCounter{0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u}));
}

TEST(RandomStream, SameKeySameNumbersDifferentFrameDifferentNumbers) {
  RandomStream a(42, 3, 1000, RandomPurpose::noise), b(42, 3, 1000, RandomPurpose::noise);
  RandomStream c(42, 3, 1001, RandomPurpose::noise), d(42, 3, 1000, RandomPurpose::channel);
  int same_c = 0, same_d = 0;
  for (int i = 0; i < 1000; ++i) {
    auto x = a.next_u32();
    EXPECT_EQ(x, b.next_u32());
    same_c += x == c.next_u32();
    same_d += x == d.next_u32();
  }
  EXPECT_LT(same_c, 3);
  EXPECT_LT(same_d, 3);
}

TEST(RandomStream, NormalHasUnitVarianceAndZeroMean) {
  RandomStream s(7, 0, 0, RandomPurpose::test);
  std::vector<float> x(200000);
  s.fill_normal(x);
  double mean = std::accumulate(x.begin(), x.end(), 0.0) / x.size();
  double var = 0;
  for (float v : x) var += (v - mean) * (v - mean);
  var /= x.size();
  // Standard errors: mean 1/sqrt(n) = 0.0022, variance sqrt(2/n) = 0.0032; 5 sigma bounds.
  EXPECT_NEAR(mean, 0.0, 0.011);
  EXPECT_NEAR(var, 1.0, 0.016);
}

TEST(RandomStream, ComplexNormalHasRequestedVariancePerComponent) {
  RandomStream s(7, 0, 1, RandomPurpose::test);
  std::vector<cf32> x(100000);
  s.fill_complex_normal(x, 2.0f);
  double re2 = 0, im2 = 0;
  for (auto v : x) {
    re2 += v.real() * v.real();
    im2 += v.imag() * v.imag();
  }
  EXPECT_NEAR(re2 / x.size(), 1.0, 0.025);
  EXPECT_NEAR(im2 / x.size(), 1.0, 0.025);
}

TEST(RandomStream, BitsAreBalanced) {
  RandomStream s(1, 0, 0, RandomPurpose::info_bits);
  std::vector<std::uint8_t> bits(100000);
  s.fill_bits(bits);
  int ones = 0;
  for (auto b : bits) {
    ASSERT_LE(b, 1);
    ones += b;
  }
  EXPECT_NEAR(ones, 50000, 5 * 158);  // 5 sigma, sigma = sqrt(n)/2
}
