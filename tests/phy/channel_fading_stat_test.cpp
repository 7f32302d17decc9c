// Monte-Carlo statistics of the fading models against theory. Fixed seeds; every tolerance is z
// standard errors of the estimate, the standard error measured from i.i.d. samples (one per antenna
// pair and frame: pairs and frames are independent, subcarriers of one pair are not), and z is the
// Bonferroni quantile for the test's number of comparisons at a family-wise false-alarm rate of 1e-3.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <functional>
#include <numbers>
#include <string>
#include <vector>

#include "sixg/phy/channel/channel_model.h"
#include "sixg/phy/channel/tdl_channel.h"
#include "sixg/phy/channel/tdl_profile.h"
#include "support/confidence.h"

using namespace sixg::phy;

namespace {

constexpr double kFamilyAlpha = 1e-3;

double z_for(int comparisons) { return sixg::test::bonferroni_z(kFamilyAlpha, comparisons); }
constexpr double kSpeedOfLight = 299792458.0;

/// Sample mean and its standard error from i.i.d. samples.
struct Estimate {
  double mean = 0.0;
  double standard_error = 0.0;
};

class Accumulator {
 public:
  void add(double x) {
    sum_ += x;
    sum_sq_ += x * x;
    ++n_;
  }
  [[nodiscard]] Estimate estimate() const {
    const double mean = sum_ / n_;
    const double variance = (sum_sq_ / n_ - mean * mean) * n_ / (n_ - 1.0);
    return {mean, std::sqrt(variance / n_)};
  }

 private:
  double sum_ = 0.0, sum_sq_ = 0.0;
  double n_ = 0.0;
};

/// Real and imaginary parts of a complex mean, each with its own standard error.
struct ComplexAccumulator {
  Accumulator re, im;
  void add(std::complex<double> z) {
    re.add(z.real());
    im.add(z.imag());
  }
};

void expect_consistent(const Accumulator& a, double truth, double z, const std::string& what) {
  const auto e = a.estimate();
  EXPECT_NEAR(e.mean, truth, z * e.standard_error)
      << what << " (standard error " << e.standard_error << ", z " << z << ")";
}

void expect_consistent(const ComplexAccumulator& a, std::complex<double> truth, double z, const std::string& what) {
  expect_consistent(a.re, truth.real(), z, what + ", real part");
  expect_consistent(a.im, truth.imag(), z, what + ", imaginary part");
}

/// Runs `frames` frames of `model` and hands each (pair, frame) block [num_time_samples][fft_size] to `visit`.
void for_each_pair(const ChannelConfig& c, const ChannelModel& model, int frames,
                   const std::function<void(const cf32*)>& visit) {
  const std::size_t block = static_cast<std::size_t>(model.num_time_samples()) * c.fft_size;
  std::vector<cf32> h(static_cast<std::size_t>(c.num_rx_ant) * c.num_tx * block);
  for (int f = 0; f < frames; ++f) {
    RandomStream rng(2024, 0, static_cast<std::uint64_t>(f), RandomPurpose::channel);
    model.generate(rng, h);
    for (std::size_t p = 0; p < h.size() / block; ++p) visit(h.data() + p * block);
  }
}

ChannelConfig stat_config(ChannelModelKind kind) {
  ChannelConfig c;
  c.kind = kind;
  c.num_rx_ant = 16;
  c.num_tx = 16;
  c.fft_size = 256;
  c.num_ofdm_symbols = 14;
  c.subcarrier_spacing = 30e3;
  c.cp_length = 18;
  c.delay_spread = 300e-9;
  return c;
}

double symbol_time(const ChannelConfig& c, int l) {
  return l * static_cast<double>(c.fft_size + c.cp_length) / (c.fft_size * c.subcarrier_spacing);
}

std::string kind_name(const ::testing::TestParamInfo<ChannelModelKind>& info) {
  constexpr const char* kNames[] = {"awgn", "rayleigh", "tdl_a", "tdl_b", "tdl_c", "tdl_d", "tdl_e"};
  return kNames[static_cast<int>(info.param)];
}

double jakes(double doppler, double dt) {
  return std::cyl_bessel_j(0.0, 2.0 * std::numbers::pi * doppler * std::abs(dt));
}

}  // namespace

TEST(RayleighBlockFadingStatistics, UnitPowerCircularGaussianGains) {
  const auto c = stat_config(ChannelModelKind::rayleigh);
  const auto model = make_channel_model(c);
  Accumulator power, fourth;
  ComplexAccumulator mean, pseudo;
  for_each_pair(c, *model, 400, [&](const cf32* h) {
    const std::complex<double> g(h[0]);
    power.add(std::norm(g));
    fourth.add(std::norm(g) * std::norm(g));
    mean.add(g);
    pseudo.add(g * g);
  });
  const double z = z_for(6);
  expect_consistent(power, 1.0, z, "E|h|^2");
  expect_consistent(fourth, 2.0, z, "E|h|^4 (exponential power)");
  expect_consistent(mean, 0.0, z, "E h");
  expect_consistent(pseudo, 0.0, z, "E h^2 (circular symmetry)");
}

class TdlStatistics : public ::testing::TestWithParam<ChannelModelKind> {};

TEST_P(TdlStatistics, UnitPowerPerReAndFrequencyCorrelationOfTheTable) {
  // E[h(k) h*(k + D)] = sum_l P_l exp(j 2 pi D df tau_l) with normalised powers and scaled delays; at
  // D = 0 it is the unit power of every RE. Checks delays, their scaling, the sign and normalisation.
  const auto c = stat_config(GetParam());
  const auto model = make_channel_model(c);
  const auto profile = tdl_profile(c.kind);
  const auto powers = profile.normalized_powers();
  const std::vector<int> lags{1, 3, 10, 30};
  const std::vector<int> probes{0, c.fft_size / 2, c.fft_size - 1};
  std::vector<Accumulator> probe_power(probes.size());
  Accumulator mean_power;
  std::vector<ComplexAccumulator> correlation(lags.size());
  for_each_pair(c, *model, 200, [&](const cf32* h) {
    for (std::size_t i = 0; i < probes.size(); ++i) probe_power[i].add(std::norm(std::complex<double>(h[probes[i]])));
    double power = 0.0;
    for (int k = 0; k < c.fft_size; ++k) power += std::norm(std::complex<double>(h[k]));
    mean_power.add(power / c.fft_size);
    for (std::size_t i = 0; i < lags.size(); ++i) {
      std::complex<double> sum = 0.0;
      for (int k = 0; k + lags[i] < c.fft_size; ++k) {
        sum += std::complex<double>(h[k]) * std::conj(std::complex<double>(h[k + lags[i]]));
      }
      correlation[i].add(sum / static_cast<double>(c.fft_size - lags[i]));
    }
  });
  const double z = z_for(static_cast<int>(1 + probes.size() + 2 * lags.size()));
  expect_consistent(mean_power, 1.0, z, "mean power over the band");
  for (std::size_t i = 0; i < probes.size(); ++i) {
    expect_consistent(probe_power[i], 1.0, z, "power at subcarrier " + std::to_string(probes[i]));
  }
  for (std::size_t i = 0; i < lags.size(); ++i) {
    std::complex<double> theory = 0.0;
    for (int l = 0; l < profile.num_entries(); ++l) {
      const double tau = profile.normalized_delays[l] * c.delay_spread;
      theory += powers[l] * std::polar(1.0, 2.0 * std::numbers::pi * lags[i] * c.subcarrier_spacing * tau);
    }
    expect_consistent(correlation[i], theory, z, "correlation at lag " + std::to_string(lags[i]));
  }
}

INSTANTIATE_TEST_SUITE_P(AllTdlModels, TdlStatistics,
                         ::testing::Values(ChannelModelKind::tdl_a, ChannelModelKind::tdl_b, ChannelModelKind::tdl_c,
                                           ChannelModelKind::tdl_d, ChannelModelKind::tdl_e),
                         kind_name);

class TdlRicianFactor : public ::testing::TestWithParam<ChannelModelKind> {};

TEST_P(TdlRicianFactor, MomentEstimateMatchesTheTable) {
  // For a Rician RE, E|h|^4 / (E|h|^2)^2 = (K^2 + 4K + 2) / (K + 1)^2, so with s = sqrt(2 - ratio),
  // K = s / (1 - s). Expected from the tables: 8.98 dB (D), 9.27 dB (E). The estimate's standard error
  // follows by the delta method from the covariance of the per-pair moments.
  const auto c = stat_config(GetParam());
  const auto model = make_channel_model(c);
  std::vector<double> second, fourth;
  for_each_pair(c, *model, 200, [&](const cf32* h) {
    double m2 = 0.0, m4 = 0.0;
    for (int k = 0; k < c.fft_size; ++k) {
      const double p = std::norm(std::complex<double>(h[k]));
      m2 += p;
      m4 += p * p;
    }
    second.push_back(m2 / c.fft_size);
    fourth.push_back(m4 / c.fft_size);
  });
  const auto n = static_cast<double>(second.size());
  double mean2 = 0.0, mean4 = 0.0;
  for (std::size_t i = 0; i < second.size(); ++i) {
    mean2 += second[i] / n;
    mean4 += fourth[i] / n;
  }
  double var2 = 0.0, var4 = 0.0, cov = 0.0;
  for (std::size_t i = 0; i < second.size(); ++i) {
    var2 += (second[i] - mean2) * (second[i] - mean2) / (n - 1);
    var4 += (fourth[i] - mean4) * (fourth[i] - mean4) / (n - 1);
    cov += (second[i] - mean2) * (fourth[i] - mean4) / (n - 1);
  }
  auto k_db = [](double m2, double m4) {
    const double s = std::sqrt(2.0 - m4 / (m2 * m2));
    return 10.0 * std::log10(s / (1.0 - s));
  };
  const double estimate = k_db(mean2, mean4);
  const double h2 = 1e-6 * mean2, h4 = 1e-6 * mean4;
  const double d2 = (k_db(mean2 + h2, mean4) - k_db(mean2 - h2, mean4)) / (2 * h2);
  const double d4 = (k_db(mean2, mean4 + h4) - k_db(mean2, mean4 - h4)) / (2 * h4);
  const double standard_error = std::sqrt((d2 * d2 * var2 + d4 * d4 * var4 + 2 * d2 * d4 * cov) / n);
  const double table = 10.0 * std::log10(tdl_profile(c.kind).rician_k_factor());
  RecordProperty("k_factor_db_estimate", std::to_string(estimate));
  RecordProperty("k_factor_db_table", std::to_string(table));
  RecordProperty("k_factor_db_standard_error", std::to_string(standard_error));
  EXPECT_NEAR(estimate, table, z_for(1) * standard_error) << "standard error " << standard_error << " dB";
  EXPECT_LT(standard_error, 0.1);  // the check must be able to tell 9 dB from 8.5 dB
}

INSTANTIATE_TEST_SUITE_P(LosModels, TdlRicianFactor,
                         ::testing::Values(ChannelModelKind::tdl_d, ChannelModelKind::tdl_e), kind_name);

TEST(TdlDopplerStatistics, RayleighTapFollowsJakesCorrelationAtEveryLag) {
  // One Rayleigh tap, f_D = 1500 Hz: over the slot 2 pi f_D dt reaches 4.4, past J0's first zero
  // (2.405) and minimum (3.83). E[h(l) h*(m)] = J0(2 pi f_D (t_l - t_m)) for every pair of symbols,
  // which also checks stationarity (unit power at every symbol).
  auto c = stat_config(ChannelModelKind::tdl_a);
  c.fft_size = 32;
  const double doppler = 1500.0;
  c.speed = doppler * kSpeedOfLight / c.carrier_frequency;
  const TdlChannel model(c, TdlProfile{{0.0}, {0.0}, false});
  ASSERT_EQ(model.num_time_samples(), c.num_ofdm_symbols);
  const int symbols = c.num_ofdm_symbols;
  std::vector<ComplexAccumulator> correlation(static_cast<std::size_t>(symbols) * symbols);
  Accumulator fourth;
  for_each_pair(c, model, 400, [&](const cf32* h) {
    for (int l = 0; l < symbols; ++l) {
      for (int m = 0; m < symbols; ++m) {
        correlation[l * symbols + m].add(std::complex<double>(h[l * c.fft_size]) *
                                         std::conj(std::complex<double>(h[m * c.fft_size])));
      }
    }
    fourth.add(std::pow(std::norm(std::complex<double>(h[5 * c.fft_size])), 2));
  });
  const double z = z_for(2 * symbols * symbols + 1);
  for (int l = 0; l < symbols; ++l) {
    for (int m = 0; m < symbols; ++m) {
      const double theory = jakes(doppler, symbol_time(c, l) - symbol_time(c, m));
      expect_consistent(correlation[l * symbols + m], theory, z,
                        "E h(" + std::to_string(l) + ") h*(" + std::to_string(m) + ")");
    }
  }
  expect_consistent(fourth, 2.0, z, "E|h|^4 at symbol 5 (Rayleigh envelope)");
}

TEST(TdlDopplerStatistics, SeedScenarioTdlCDecorrelatesLikeJakes) {
  // All TDL-C taps share one Doppler spectrum, so each RE decorrelates as J0(2 pi f_D dt), f_D = 350 Hz
  // at 30 m/s and 3.5 GHz.
  auto c = stat_config(ChannelModelKind::tdl_c);
  c.speed = 30.0;
  const double doppler = c.speed * c.carrier_frequency / kSpeedOfLight;
  const auto model = make_channel_model(c);
  const int last = c.num_ofdm_symbols - 1;
  std::vector<ComplexAccumulator> correlation(static_cast<std::size_t>(c.num_ofdm_symbols));
  for_each_pair(c, *model, 100, [&](const cf32* h) {
    for (int l = 0; l <= last; ++l) {
      std::complex<double> sum = 0.0;
      for (int k = 0; k < c.fft_size; ++k) {
        sum += std::complex<double>(h[l * c.fft_size + k]) * std::conj(std::complex<double>(h[k]));
      }
      correlation[l].add(sum / static_cast<double>(c.fft_size));
    }
  });
  const double z = z_for(2 * c.num_ofdm_symbols);
  for (int l = 0; l <= last; ++l) {
    expect_consistent(correlation[l], jakes(doppler, symbol_time(c, l)), z, "lag " + std::to_string(l) + " symbols");
  }
  EXPECT_LT(jakes(doppler, symbol_time(c, last)), 0.8);  // the slot spans a measurable decorrelation
}

TEST(TdlDopplerStatistics, LosModelAddsTheRotatingSpecularTerm) {
  // TDL-D: E[h(l) h*(0)] = P_spec exp(j 2 pi f_D cos(pi/4) t_l) + (1 - P_spec) J0(2 pi f_D t_l).
  auto c = stat_config(ChannelModelKind::tdl_d);
  c.fft_size = 64;
  const double doppler = 1500.0;
  c.speed = doppler * kSpeedOfLight / c.carrier_frequency;
  const auto model = make_channel_model(c);
  const double specular = tdl_profile(c.kind).normalized_powers()[0];
  std::vector<ComplexAccumulator> correlation(static_cast<std::size_t>(c.num_ofdm_symbols));
  for_each_pair(c, *model, 200, [&](const cf32* h) {
    for (int l = 0; l < c.num_ofdm_symbols; ++l) {
      std::complex<double> sum = 0.0;
      for (int k = 0; k < c.fft_size; ++k) {
        sum += std::complex<double>(h[l * c.fft_size + k]) * std::conj(std::complex<double>(h[k]));
      }
      correlation[l].add(sum / static_cast<double>(c.fft_size));
    }
  });
  const double z = z_for(2 * c.num_ofdm_symbols);
  for (int l = 0; l < c.num_ofdm_symbols; ++l) {
    const double t = symbol_time(c, l);
    const auto theory =
        specular * std::polar(1.0, 2.0 * std::numbers::pi * doppler * std::cos(std::numbers::pi / 4.0) * t) +
        (1.0 - specular) * jakes(doppler, t);
    expect_consistent(correlation[l], theory, z, "lag " + std::to_string(l) + " symbols");
  }
}
