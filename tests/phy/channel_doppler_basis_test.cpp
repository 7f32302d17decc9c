// DopplerBasis: the low-rank factor reproduces the Jakes correlation J0(2 pi f_D dt) to its tolerance.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "sixg/phy/channel/doppler_basis.h"

using namespace sixg::phy;

namespace {

std::vector<double> slot_times(int symbols) {
  std::vector<double> t(symbols);
  for (int l = 0; l < symbols; ++l) t[l] = l * (512.0 + 36.0) / (512.0 * 30e3);  // seed numerology
  return t;
}

// max |(B B^T)[l][m] - J0(2 pi f_D |t_l - t_m|)| and trace(R - B B^T).
std::pair<double, double> factor_error(const DopplerBasis& b, const std::vector<double>& t, double doppler) {
  double worst = 0.0, discarded = 0.0;
  for (int l = 0; l < b.num_times(); ++l) {
    for (int m = 0; m < b.num_times(); ++m) {
      double product = 0.0;
      for (int j = 0; j < b.rank(); ++j) product += static_cast<double>(b.at(l, j)) * b.at(m, j);
      const double r = std::cyl_bessel_j(0.0, 2.0 * std::numbers::pi * doppler * std::abs(t[l] - t[m]));
      worst = std::max(worst, std::abs(product - r));
      if (l == m) discarded += r - product;
    }
  }
  return {worst, discarded};
}

}  // namespace

TEST(DopplerBasis, ReproducesJakesCorrelationAcrossDopplerRates) {
  const auto t = slot_times(14);
  int previous_rank = 0;
  for (double doppler : {0.0, 35.0, 350.0, 1500.0, 5000.0, 20000.0}) {
    const DopplerBasis b(t, doppler);
    const auto [worst, discarded] = factor_error(b, t, doppler);
    // Float storage of B limits the element error to ~1e-6; the discarded variance is <= 1e-9 * T.
    EXPECT_LT(worst, 1e-5) << "f_D " << doppler;
    EXPECT_LT(discarded, 1e-9 * 14 + 1e-5) << "f_D " << doppler;
    EXPECT_GE(b.rank(), previous_rank) << "a faster channel never needs fewer components";
    previous_rank = b.rank();
  }
}

TEST(DopplerBasis, ConstantChannelHasRankOneAndFastChannelFullRank) {
  const auto t = slot_times(14);
  const DopplerBasis still(t, 0.0);
  EXPECT_EQ(still.rank(), 1);
  for (int l = 0; l < 14; ++l) EXPECT_NEAR(std::abs(still.at(l, 0)), 1.0f, 1e-6f);
  // At f_D = 20 kHz the symbols are ~0.7 coherence times apart: no direction is negligible.
  EXPECT_EQ(DopplerBasis(t, 20000.0).rank(), 14);
  // Seed scenario at 30 m/s, 3.5 GHz (f_D = 350 Hz): a few components describe the whole slot.
  const int seed_rank = DopplerBasis(t, 30.0 * 3.5e9 / 299792458.0).rank();
  EXPECT_GE(seed_rank, 2);
  EXPECT_LE(seed_rank, 6);
}

TEST(DopplerBasis, RejectsInvalidArguments) {
  const std::vector<double> none;
  EXPECT_THROW(DopplerBasis(none, 10.0), std::invalid_argument);
  const auto t = slot_times(4);
  EXPECT_THROW(DopplerBasis(t, -1.0), std::invalid_argument);
}
