// The TS 38.211 §5.1 constellations: every point against the standard's formulas written out per
// modulation, unit energy, the minimum distance, and the Gray property.
#include "sixg/phy/qam/constellation.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <complex>
#include <vector>

using namespace sixg::phy;

namespace {

constexpr Modulation kAll[] = {Modulation::qpsk, Modulation::qam16, Modulation::qam64, Modulation::qam256,
                               Modulation::qam1024};

/// TS 38.211 §5.1.3-5.1.7, one formula per modulation as printed in the standard, with bits b(0..m-1)
/// taken MSB-first from `label`.
std::complex<double> standard_point(Modulation m, unsigned label) {
  const int n = bits_per_symbol(m);
  const auto s = [&](int i) { return 1.0 - 2.0 * static_cast<double>((label >> (n - 1 - i)) & 1u); };
  switch (m) {
    case Modulation::qpsk: return std::complex<double>(s(0), s(1)) / std::sqrt(2.0);
    case Modulation::qam16: return std::complex<double>(s(0) * (2 - s(2)), s(1) * (2 - s(3))) / std::sqrt(10.0);
    case Modulation::qam64:
      return std::complex<double>(s(0) * (4 - s(2) * (2 - s(4))), s(1) * (4 - s(3) * (2 - s(5)))) / std::sqrt(42.0);
    case Modulation::qam256:
      return std::complex<double>(s(0) * (8 - s(2) * (4 - s(4) * (2 - s(6)))),
                                  s(1) * (8 - s(3) * (4 - s(5) * (2 - s(7))))) /
             std::sqrt(170.0);
    case Modulation::qam1024:
      return std::complex<double>(s(0) * (16 - s(2) * (8 - s(4) * (4 - s(6) * (2 - s(8))))),
                                  s(1) * (16 - s(3) * (8 - s(5) * (4 - s(7) * (2 - s(9)))))) /
             std::sqrt(682.0);
  }
  return {};
}

}  // namespace

TEST(QamConstellation, EveryPointIsTheStandardsFormula) {
  for (Modulation m : kAll) {
    const auto& c = Constellation::of(m);
    ASSERT_EQ(c.size(), std::size_t{1} << bits_per_symbol(m));
    for (unsigned label = 0; label < c.size(); ++label) {
      const auto expected = standard_point(m, label);
      EXPECT_NEAR(c.points()[label].real(), expected.real(), 1e-6) << bits_per_symbol(m) << "-bit label " << label;
      EXPECT_NEAR(c.points()[label].imag(), expected.imag(), 1e-6) << " label " << label;
    }
  }
}

TEST(QamConstellation, HandPickedPointsOf38211Tables) {
  // 16-QAM: b = 0000 -> (1+j)/√10; b = 1011 -> (-3+3j)/√10 (I bits b0 b2 = 1 1, Q bits b1 b3 = 0 1).
  const auto& c16 = Constellation::of(Modulation::qam16);
  EXPECT_NEAR(std::abs(c16.points()[0b0000] - cf32(1, 1) / std::sqrt(10.0f)), 0.0f, 1e-6f);
  EXPECT_NEAR(std::abs(c16.points()[0b1011] - cf32(-3, 3) / std::sqrt(10.0f)), 0.0f, 1e-6f);
  // QPSK: b = 10 -> (-1+j)/√2.
  EXPECT_NEAR(std::abs(Constellation::of(Modulation::qpsk).points()[0b10] - cf32(-1, 1) / std::sqrt(2.0f)), 0.0f,
              1e-6f);
  // 64-QAM: b = 000000 -> (3+3j)/√42 (4 - (2 - 1) = 3), b = 000010 -> (1+3j)/√42 (b4 = 1: 4 - 3 = 1).
  const auto& c64 = Constellation::of(Modulation::qam64);
  EXPECT_NEAR(std::abs(c64.points()[0b000000] - cf32(3, 3) / std::sqrt(42.0f)), 0.0f, 1e-6f);
  EXPECT_NEAR(std::abs(c64.points()[0b000010] - cf32(1, 3) / std::sqrt(42.0f)), 0.0f, 1e-6f);
}

TEST(QamConstellation, UnitAverageEnergyAndStandardScale) {
  const double denominators[] = {2.0, 10.0, 42.0, 170.0, 682.0};
  for (Modulation m : kAll) {
    const auto& c = Constellation::of(m);
    double energy = 0.0;
    for (cf32 p : c.points()) energy += std::norm(std::complex<double>(p));
    EXPECT_NEAR(energy / static_cast<double>(c.size()), 1.0, 1e-6);
    EXPECT_NEAR(c.scale(), 1.0 / std::sqrt(denominators[static_cast<int>(m)]), 1e-7);
  }
}

TEST(QamConstellation, MinimumDistanceIsTwiceTheScale) {
  for (Modulation m : kAll) {
    const auto& c = Constellation::of(m);
    double smallest = 1e9;
    for (std::size_t i = 0; i < c.size(); ++i) {
      for (std::size_t j = i + 1; j < c.size(); ++j) {
        smallest = std::min(smallest, static_cast<double>(std::abs(c.points()[i] - c.points()[j])));
      }
    }
    EXPECT_NEAR(smallest, 2.0 / std::sqrt(2.0 * ((1 << bits_per_symbol(m)) - 1) / 3.0), 1e-6);
    EXPECT_NEAR(c.min_distance(), smallest, 1e-6);
  }
}

TEST(QamConstellation, GrayNeighboursDifferInExactlyOneBit) {
  for (Modulation m : kAll) {
    const auto& c = Constellation::of(m);
    const float d = c.min_distance();
    for (unsigned i = 0; i < c.size(); ++i) {
      int neighbours = 0;
      for (unsigned j = 0; j < c.size(); ++j) {
        if (i != j && std::abs(c.points()[i] - c.points()[j]) < 1.01f * d) {
          ++neighbours;
          EXPECT_EQ(std::popcount(i ^ j), 1) << "labels " << i << " and " << j;
        }
      }
      EXPECT_GE(neighbours, 2);  // a corner point has 2, an inner point 4
      EXPECT_LE(neighbours, 4);
    }
  }
}

TEST(QamConstellation, AxisLevelsAreTheOddIntegersScaledAndGrayAlongTheAxis) {
  for (Modulation m : kAll) {
    const auto& c = Constellation::of(m);
    const int k = c.bits_per_axis();
    const auto levels = c.axis_levels();
    ASSERT_EQ(levels.size(), std::size_t{1} << k);
    // Each odd integer ±1 .. ±(L-1) exactly once.
    std::vector<int> count(levels.size(), 0);
    for (unsigned label = 0; label < levels.size(); ++label) {
      const int a = pam_amplitude(label, k);
      EXPECT_NEAR(levels[label], a * c.scale(), 1e-7);
      ASSERT_EQ(std::abs(a) % 2, 1);
      ++count[static_cast<std::size_t>((a + static_cast<int>(levels.size()) - 1) / 2)];
      // Sign bit c_0 = 1 makes the amplitude negative (38.211: 1 - 2·b(0)).
      EXPECT_EQ(a < 0, (label >> (k - 1)) == 1u);
    }
    for (int n : count) EXPECT_EQ(n, 1);
    // Adjacent amplitudes differ in one axis bit.
    for (unsigned x = 0; x < levels.size(); ++x) {
      for (unsigned y = 0; y < levels.size(); ++y) {
        if (pam_amplitude(y, k) == pam_amplitude(x, k) + 2) {
          EXPECT_EQ(std::popcount(x ^ y), 1);
        }
      }
    }
  }
}
