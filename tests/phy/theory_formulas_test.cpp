// The closed-form references of tests/support against the check values of REFERENCES.md and against
// independent computations (textbook closed forms, direct integration over the SNR density), and the
// confidence-interval helpers against textbook values.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <numbers>

#include "support/confidence.h"
#include "support/theory.h"

using namespace sixg::test;

namespace {

constexpr double kCheckValueTolerance = 5e-3;  // relative; the check values carry 3-4 digits

/// Composite Simpson's rule with n (even) panels: simple and independent of theory.cpp's quadrature.
double simpson(const std::function<double(double)>& f, double a, double b, int n) {
  const double h = (b - a) / n;
  double sum = f(a) + f(b);
  for (int i = 1; i < n; ++i) sum += (i % 2 == 1 ? 4.0 : 2.0) * f(a + i * h);
  return sum * h / 3.0;
}

/// E[g(X)] for X with density `pdf` on [0, ∞), through X = u² (removes the √x edge of Q(√x) at 0).
double average_over_density(const std::function<double(double)>& g, const std::function<double(double)>& pdf,
                            double u_max) {
  return simpson([&](double u) { return g(u * u) * pdf(u * u) * 2.0 * u; }, 0.0, u_max, 4000);
}

double gamma_pdf(double x, int shape) { return std::pow(x, shape - 1) * std::exp(-x) / std::tgamma(shape); }

/// Density of |h|², h ~ CN(√(K/(K+1)), 1/(K+1)) (noncentral χ² with 2 degrees of freedom, unit mean).
double rician_power_pdf(double x, double k) {
  return (k + 1.0) * std::exp(-k - (k + 1.0) * x) * std::cyl_bessel_i(0.0, 2.0 * std::sqrt(k * (k + 1.0) * x));
}

}  // namespace

TEST(TheoryAwgn, GrayQamMatchesReferenceCheckValues) {
  struct Point {
    int m;
    double ebn0_db, ber;
  };
  // REFERENCES.md, "Gray square QAM over AWGN, exact per-bit error rate".
  const Point points[] = {{2, 0, 7.865e-2}, {2, 4, 1.250e-2},  {2, 8, 1.909e-4},  {2, 10, 3.872e-6},
                          {4, 8, 9.247e-3}, {4, 10, 1.754e-3}, {4, 12, 1.387e-4}, {6, 14, 2.154e-3}};
  for (const auto& p : points) {
    const double esn0 = p.m * db_to_linear(p.ebn0_db);
    EXPECT_NEAR(gray_qam_ber_awgn(p.m, esn0), p.ber, kCheckValueTolerance * p.ber)
        << "m=" << p.m << " Eb/N0=" << p.ebn0_db << " dB";
  }
}

TEST(TheoryAwgn, QpskAnd16QamEqualTextbookClosedForms) {
  for (double esn0_db = -5.0; esn0_db <= 25.0; esn0_db += 2.5) {
    const double g = db_to_linear(esn0_db);
    // Gray QPSK is two BPSKs of SNR Es/(2N0) each: Q(√(Es/N0)).
    EXPECT_NEAR(gray_qam_ber_awgn(2, g), q_function(std::sqrt(g)), 1e-12 * q_function(std::sqrt(g)));
    // Gray 16-QAM exact (Cho & Yoon, IEEE Trans. Commun. 2002): ¼[3Q(t) + 2Q(3t) - Q(5t)], t = √(Es/(5N0)).
    const double t = std::sqrt(g / 5.0);
    const double exact16 = 0.25 * (3.0 * q_function(t) + 2.0 * q_function(3.0 * t) - q_function(5.0 * t));
    EXPECT_NEAR(gray_qam_ber_awgn(4, g), exact16, 1e-12 * exact16) << "Es/N0=" << esn0_db;
  }
}

TEST(TheoryAwgn, LowSnrLimitIsOneHalfAndRatesFallWithSnrAndRiseWithOrder) {
  for (int m = 2; m <= 10; m += 2) EXPECT_NEAR(gray_qam_ber_awgn(m, 0.0), 0.5, 1e-12) << "m=" << m;
  for (int m = 2; m <= 10; m += 2) {
    double previous = 0.5;
    for (double db = 0.0; db <= 30.0; db += 2.0) {  // beyond, QPSK's rate underflows to 0
      const double ber = gray_qam_ber_awgn(m, db_to_linear(db));
      EXPECT_LT(ber, previous) << "m=" << m << " Es/N0=" << db;
      if (m < 10) {
        EXPECT_LT(ber, gray_qam_ber_awgn(m + 2, db_to_linear(db)));
      }
      previous = ber;
    }
  }
  EXPECT_THROW(gray_qam_ber_awgn(3, 1.0), std::invalid_argument);
}

TEST(TheoryRayleigh, MrcMatchesReferenceCheckValues) {
  struct Point {
    int branches;
    double ebn0_db, ber;
  };
  const Point points[] = {{1, 10, 2.327e-2}, {2, 5, 1.183e-2}, {2, 10, 1.599e-3},
                          {3, 5, 2.396e-3},  {4, 5, 5.07e-4},  {4, 10, 9.698e-6}};
  for (const auto& p : points) {
    EXPECT_NEAR(bpsk_ber_rayleigh_mrc(p.branches, db_to_linear(p.ebn0_db)), p.ber, kCheckValueTolerance * p.ber)
        << "L=" << p.branches << " Eb/N0=" << p.ebn0_db << " dB";
  }
}

TEST(TheoryRayleigh, GammaAveragedQpskEqualsMrcClosedForm) {
  for (int shape = 1; shape <= 6; ++shape) {
    for (double db = -5.0; db <= 40.0; db += 5.0) {
      const double closed = bpsk_ber_rayleigh_mrc(shape, db_to_linear(db));
      EXPECT_NEAR(gray_qam_ber_gamma_fading(2, 2.0 * db_to_linear(db), shape), closed, 1e-9 * closed)
          << "L=" << shape << " Eb/N0=" << db;
    }
  }
}

TEST(TheoryRayleigh, GammaAveragedQamEqualsDirectIntegrationOverTheGammaDensity) {
  for (int m : {4, 6, 8}) {
    for (int shape : {1, 2, 4}) {
      for (double esn0_db : {5.0, 15.0, 25.0}) {
        const double mean = db_to_linear(esn0_db);
        const double direct = average_over_density([&](double x) { return gray_qam_ber_awgn(m, mean * x); },
                                                   [&](double x) { return gamma_pdf(x, shape); }, 8.0);
        EXPECT_NEAR(gray_qam_ber_gamma_fading(m, mean, shape), direct, 1e-7 * direct)
            << "m=" << m << " L=" << shape << " Es/N0=" << esn0_db;
      }
    }
  }
}

TEST(TheoryRician, KZeroIsRayleighAndLargeKIsAwgn) {
  for (double db = 0.0; db <= 30.0; db += 5.0) {
    const double g = db_to_linear(db);
    EXPECT_NEAR(bpsk_ber_rician(g, 0.0), bpsk_ber_rayleigh_mrc(1, g), 1e-9 * bpsk_ber_rayleigh_mrc(1, g));
    // Rician with K = 1e6 has fading variance 1e-6: BER within 1e-3 of AWGN's Q(√(2γ)) up to 10 dB.
    if (db <= 10.0) {
      EXPECT_NEAR(bpsk_ber_rician(g, 1e6), q_function(std::sqrt(2.0 * g)), 1e-3 * q_function(std::sqrt(2.0 * g)));
    }
  }
}

TEST(TheoryRician, MgfIntegralEqualsDirectIntegrationOverTheRicianDensity) {
  for (double k_db : {0.0, 9.0, 13.3}) {
    const double k = db_to_linear(k_db);
    for (double ebn0_db : {5.0, 10.0, 15.0}) {
      const double g = db_to_linear(ebn0_db);
      const double direct = average_over_density([&](double x) { return q_function(std::sqrt(2.0 * g * x)); },
                                                 [&](double x) { return rician_power_pdf(x, k); }, 4.0);
      EXPECT_NEAR(bpsk_ber_rician(g, k), direct, 1e-7 * direct) << "K=" << k_db << " dB Eb/N0=" << ebn0_db;
      // Gray QPSK per bit is BPSK at Es/(2N0).
      EXPECT_NEAR(gray_qam_ber_rician(2, 2.0 * g, k), bpsk_ber_rician(g, k), 1e-12);
      const double direct16 = average_over_density([&](double x) { return gray_qam_ber_awgn(4, 4.0 * g * x); },
                                                   [&](double x) { return rician_power_pdf(x, k); }, 4.0);
      EXPECT_NEAR(gray_qam_ber_rician(4, 4.0 * g, k), direct16, 1e-7 * direct16);
    }
  }
}

TEST(Confidence, WilsonIntervalMatchesTextbookValues) {
  // k = 0: the upper limit is z²/(n + z²).
  const Interval zero = wilson_interval(0, 10, 1.96);
  EXPECT_DOUBLE_EQ(zero.lower, 0.0);
  EXPECT_NEAR(zero.upper, 1.96 * 1.96 / (10 + 1.96 * 1.96), 1e-12);
  // 5 of 10 at 95 %: [0.2366, 0.7634] (Newcombe, Stat. Med. 1998, Table I).
  const Interval half = wilson_interval(5, 10, 1.96);
  EXPECT_NEAR(half.lower, 0.2366, 1e-4);
  EXPECT_NEAR(half.upper, 0.7634, 1e-4);
  // Large n: approaches p ± z·√(p(1-p)/n).
  const Interval big = wilson_interval(1e4, 1e6, 3.0);
  EXPECT_NEAR(big.upper - big.lower, 2 * 3.0 * std::sqrt(0.01 * 0.99 / 1e6), 1e-7);
}

TEST(Confidence, NormalQuantilesAndBonferroni) {
  EXPECT_NEAR(normal_quantile_upper(0.025), 1.959964, 1e-6);
  EXPECT_NEAR(normal_quantile_upper(0.5), 0.0, 1e-9);
  EXPECT_NEAR(bonferroni_z(0.05, 1), 1.959964, 1e-6);
  EXPECT_NEAR(bonferroni_z(0.05, 10), normal_quantile_upper(0.0025), 1e-12);
}

TEST(Confidence, TallyMeasuresTheDesignEffectOfPairedErrors) {
  // Units of 2 bits that err together: the variance is twice the binomial one.
  ErrorTally tally(2);
  for (int i = 0; i < 1000; ++i) tally.add_unit(i % 10 == 0 ? 2 : 0);
  EXPECT_EQ(tally.errors(), 200u);
  EXPECT_EQ(tally.bits(), 2000u);
  EXPECT_NEAR(tally.design_effect(), 2.0, 1e-12);
  // Independent-looking units: floored at 1.
  ErrorTally single(2);
  for (int i = 0; i < 1000; ++i) single.add_unit(i % 10 == 0 ? 1 : 0);
  EXPECT_DOUBLE_EQ(single.design_effect(), 1.0);
}

TEST(Confidence, BerCheckAcceptsInsideAndRejectsOutside) {
  // 1000 errors in 1e5 bits: 95 % interval ≈ 0.01 ± 0.00062.
  EXPECT_TRUE(ber_matches_theory(1000, 100000, 0.0100, 1.96));
  EXPECT_TRUE(ber_matches_theory(1000, 100000, 0.0105, 1.96));
  EXPECT_FALSE(ber_matches_theory(1000, 100000, 0.0110, 1.96));
  // A design effect of 4 doubles the width: 0.0110 is then inside.
  EXPECT_TRUE(ber_matches_theory(1000, 100000, 0.0110, 1.96, 4.0));
}
