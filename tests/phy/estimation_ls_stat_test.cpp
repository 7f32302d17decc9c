// LS estimation at Kronecker pilots, Monte-Carlo against theory (fixed seeds):
//  - at a stream's own pilot REs the estimate is unbiased with error variance N0/|p|² = N0/S_tot;
//  - the err_var it reports is what the error really is on a frequency-flat channel (nn and lin), so
//    the estimation MSE falls to 0 with N0;
//  - on a frequency-selective two-tap channel the interpolation leaves a floor, equal to the exact
//    expectation computed here from the tap delay (printed: the figures in docs/receiver.md).
// Tolerances are z standard errors, measured from per-unit sums that are independent (one unit = one
// frame, antenna and stream, whose subcarriers share the same channel draw), z the Bonferroni quantile
// for the file's comparisons at a family-wise false-alarm rate of 1e-3.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdio>
#include <numbers>
#include <vector>

#include "sixg/phy/estimation/ls_channel_estimator.h"
#include "sixg/phy/grid/resource_grid.h"
#include "sixg/phy/random/random_stream.h"
#include "support/confidence.h"

using namespace sixg::phy;

namespace {

const double kZ = sixg::test::bonferroni_z(1e-3, 24);

/// Mean of independent samples and its standard error.
class Mean {
 public:
  void add(double x) {
    ++n_;
    sum_ += x;
    squares_ += x * x;
  }
  [[nodiscard]] double mean() const { return sum_ / n_; }
  [[nodiscard]] double standard_error() const {
    return std::sqrt(std::max(0.0, squares_ / n_ - mean() * mean()) / (n_ - 1));
  }

 private:
  double n_ = 0, sum_ = 0, squares_ = 0;
};

/// Seed-scenario grid (16 streams, 512 subcarriers, pilots on 2 and 11), 4 receive antennas.
struct LinkSetup {
  GridConfig config{16, 512, 14, {2, 11}};
  ResourceGrid grid{config, 21};
  int antennas = 4;
  double subcarrier_spacing = 30e3;
};

/// Per (antenna, stream) channel over subcarriers: c0 + c1 exp(-j 2π k τ Δf), taps CN(0, p0), CN(0, p1).
struct TwoTapChannel {
  double p0 = 1.0, p1 = 0.0, delay_s = 0.0;
};

/// One frame: draws the channel H [A, S, fft] and the received pilot symbols (data symbols stay zero:
/// the estimator reads only pilot symbols) with noise CN(0, n0).
void receive_frame(const LinkSetup& setup, const TwoTapChannel& model, float n0, std::uint64_t frame,
                   std::vector<cf32>& h, std::vector<cf32>& y) {
  const int streams = setup.config.num_streams, fft = setup.config.fft_size, symbols = setup.config.num_ofdm_symbols;
  RandomStream channel_rng(5, 0, frame, RandomPurpose::channel), noise_rng(5, 0, frame, RandomPurpose::noise);
  const double theta = 2.0 * std::numbers::pi * model.delay_s * setup.subcarrier_spacing;
  h.resize(static_cast<std::size_t>(setup.antennas * streams * fft));
  for (int a = 0; a < setup.antennas; ++a) {
    for (int s = 0; s < streams; ++s) {
      cf32 taps[2];
      channel_rng.fill_complex_normal(taps, 1.0f);
      const std::complex<double> c0 = std::sqrt(model.p0) * std::complex<double>(taps[0]);
      const std::complex<double> c1 = std::sqrt(model.p1) * std::complex<double>(taps[1]);
      for (int k = 0; k < fft; ++k) {
        h[static_cast<std::size_t>((a * streams + s) * fft + k)] = cf32(c0 + c1 * std::polar(1.0, -theta * k));
      }
    }
  }
  y.assign(static_cast<std::size_t>(setup.antennas * symbols * fft), cf32{});
  std::vector<cf32> noise(static_cast<std::size_t>(fft));
  for (int a = 0; a < setup.antennas; ++a) {
    for (int p = 0; p < setup.config.num_pilot_symbols(); ++p) {
      noise_rng.fill_complex_normal(noise, n0);
      const int l = setup.config.pilot_symbols[static_cast<std::size_t>(p)];
      for (int k = 0; k < fft; ++k) {
        const int s = k % streams;  // the only stream sending on this RE
        y[static_cast<std::size_t>((a * symbols + l) * fft + k)] =
            h[static_cast<std::size_t>((a * streams + s) * fft + k)] * setup.grid.pilots().pilot_at(p, k) +
            noise[static_cast<std::size_t>(k)];
      }
    }
  }
}

struct Errors {
  Mean pilot_mse;              // |ĥ - h|² at own pilot REs, per unit
  Mean pilot_bias_re;          // Re(ĥ - h) at own pilot REs, per unit
  Mean all_mse;                // |ĥ - h|² at all REs, per unit
  Mean mse_minus_reported;     // |ĥ - h|² - err_var at all REs, per unit
  double mean_reported = 0.0;  // mean err_var
};

Errors run(const LinkSetup& setup, const TwoTapChannel& model, InterpolationKind kind, float n0, int frames) {
  const int streams = setup.config.num_streams, fft = setup.config.fft_size, pilots = setup.config.num_pilot_symbols();
  LsChannelEstimator estimator(setup.config, setup.grid.pilots(), setup.antennas, kind);
  std::vector<cf32> h, y, h_hat(estimator.h_hat_size());
  std::vector<float> err_var(estimator.err_var_size());
  Errors out;
  double reported = 0;
  for (int f = 0; f < frames; ++f) {
    receive_frame(setup, model, n0, static_cast<std::uint64_t>(f), h, y);
    estimator.estimate(y, n0, h_hat, err_var);
    for (int a = 0; a < setup.antennas; ++a) {
      for (int s = 0; s < streams; ++s) {
        double pilot_mse = 0, pilot_bias = 0, all_mse = 0, excess = 0;
        for (int p = 0; p < pilots; ++p) {
          for (int k = 0; k < fft; ++k) {
            const cf32 e = h_hat[static_cast<std::size_t>(((a * streams + s) * pilots + p) * fft + k)] -
                           h[static_cast<std::size_t>((a * streams + s) * fft + k)];
            const double reported_k = err_var[static_cast<std::size_t>((s * pilots + p) * fft + k)];
            all_mse += std::norm(e);
            excess += std::norm(e) - reported_k;
            if (k % streams == s) {
              pilot_mse += std::norm(e);
              pilot_bias += e.real();
            }
            if (a == 0 && f == 0) reported += reported_k;
          }
        }
        const double own = pilots * fft / streams, all = pilots * fft;
        out.pilot_mse.add(pilot_mse / own);
        out.pilot_bias_re.add(pilot_bias / own);
        out.all_mse.add(all_mse / all);
        out.mse_minus_reported.add(excess / all);
      }
    }
  }
  out.mean_reported = reported / (streams * pilots * fft);
  return out;
}

/// Exact E|ĥ - h|² of noiseless interpolation, averaged over streams and subcarriers, for the tap c1 of
/// a two-tap channel: per RE p1 |1 - sum_i w_i exp(jθ(k - k_i))|² with k_i the pilots used.
double interpolation_floor(const LinkSetup& setup, const TwoTapChannel& model, InterpolationKind kind) {
  const int streams = setup.config.num_streams, fft = setup.config.fft_size, last = fft - streams;
  const double theta = 2.0 * std::numbers::pi * model.delay_s * setup.subcarrier_spacing;
  double sum = 0;
  for (int s = 0; s < streams; ++s) {
    for (int k = 0; k < fft; ++k) {
      const int offset = k - s;
      std::complex<double> residual = 1.0;
      if (offset <= 0 || offset >= last) {
        residual -= std::polar(1.0, theta * (k - std::clamp(k, s, s + last)));
      } else if (kind == InterpolationKind::nearest) {
        const int r = offset % streams;
        residual -= std::polar(1.0, theta * (2 * r <= streams ? r : r - streams));
      } else {
        const int r = offset % streams;
        const double w = static_cast<double>(r) / streams;
        residual -= (1 - w) * std::polar(1.0, theta * r) + w * std::polar(1.0, theta * (r - streams));
      }
      sum += model.p1 * std::norm(residual);
    }
  }
  return sum / (streams * fft);
}

::testing::AssertionResult near(const Mean& m, double expected, const char* what) {
  const double tolerance = kZ * m.standard_error();
  if (std::abs(m.mean() - expected) <= tolerance) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << what << ": measured " << m.mean() << " +- " << m.standard_error()
                                       << " (standard error), expected " << expected << ", z " << kZ;
}

}  // namespace

TEST(LsEstimationStat, AtOwnPilotsTheErrorIsUnbiasedWithVarianceN0OverPilotEnergy) {
  const LinkSetup setup;
  for (float n0 : {1.0f, 0.05f}) {
    const auto e = run(setup, TwoTapChannel{1.0, 0.0, 0.0}, InterpolationKind::nearest, n0, 20);
    const double expected = n0 / setup.config.num_streams;  // N0 / |p|², |p|² = S_tot
    EXPECT_TRUE(near(e.pilot_mse, expected, "pilot MSE"));
    EXPECT_TRUE(near(e.pilot_bias_re, 0.0, "pilot bias (real part)"));
  }
}

TEST(LsEstimationStat, ReportedErrorVarianceIsTheTrueMseOnAFlatChannelAndVanishesWithNoise) {
  const LinkSetup setup;
  const TwoTapChannel flat{1.0, 0.0, 0.0};
  for (auto kind : {InterpolationKind::nearest, InterpolationKind::linear}) {
    double previous = 1e9;
    for (float n0 : {1.0f, 1e-2f, 1e-4f}) {
      const auto e = run(setup, flat, kind, n0, 10);
      EXPECT_TRUE(near(e.mse_minus_reported, 0.0, "MSE - reported err_var"));
      EXPECT_TRUE(near(e.all_mse, e.mean_reported, "MSE vs mean reported err_var"));
      EXPECT_LT(e.all_mse.mean(), previous);
      previous = e.all_mse.mean();
      if (kind == InterpolationKind::nearest) {
        EXPECT_FLOAT_EQ(e.mean_reported, n0 / setup.config.num_streams);
      }
    }
    EXPECT_LT(previous, 1e-5);  // at N0 = 1e-4 the MSE is ~N0/16
  }
}

TEST(LsEstimationStat, FrequencySelectiveChannelsLeaveTheExpectedInterpolationFloor) {
  // Two equal-power taps 300 ns apart (a TDL-like spread, resolvable: 1/(16 x 30 kHz) = 2.08 µs),
  // noiseless, so all error is interpolation error.
  const LinkSetup setup;
  for (double delay : {300e-9, 1000e-9}) {
    const TwoTapChannel model{0.5, 0.5, delay};
    for (auto kind : {InterpolationKind::nearest, InterpolationKind::linear}) {
      const auto e = run(setup, model, kind, 0.0f, 100);
      const double theory = interpolation_floor(setup, model, kind);
      EXPECT_TRUE(near(e.all_mse, theory, "interpolation floor"));
      EXPECT_GT(e.all_mse.mean(), 10 * e.mean_reported);  // err_var (noise only) is 0 here
      std::printf("[ floor ] two taps 0/%.0f ns equal power, %s: MSE %.3e (%.1f dB), theory %.3e\n", delay * 1e9,
                  kind == InterpolationKind::nearest ? "nn " : "lin", e.all_mse.mean(),
                  10 * std::log10(e.all_mse.mean()), theory);
    }
  }
}
