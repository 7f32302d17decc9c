// LS channel estimation at Kronecker pilots: exactness on noiseless channels, the interpolation rules,
// the error variance it reports, channel_at, and the pilot-spacing warning.
#include "sixg/phy/estimation/ls_channel_estimator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
#include <functional>
#include <vector>

#include "sixg/phy/estimation/pilot_spacing.h"
#include "sixg/phy/grid/kronecker_pilots.h"
#include "sixg/phy/grid/resource_grid.h"
#include "sixg/phy/random/random_stream.h"

using namespace sixg::phy;

namespace {

using ChannelFn = std::function<cf32(int a, int s, int k)>;  // static over the slot

/// Noiseless received grid [A, symbols, fft] of `grid`'s pilots and random data through `channel`.
std::vector<cf32> receive(const ResourceGrid& grid, int antennas, const ChannelFn& channel) {
  const int streams = grid.num_streams(), symbols = grid.num_ofdm_symbols(), fft = grid.fft_size();
  std::vector<cf32> data(static_cast<std::size_t>(streams * grid.num_data_res()));
  RandomStream(9, 0, 0, RandomPurpose::test).fill_complex_normal(data);
  std::vector<cf32> tx(static_cast<std::size_t>(streams * symbols * fft));
  grid.map(data, tx);
  std::vector<cf32> y(static_cast<std::size_t>(antennas * symbols * fft));
  for (int a = 0; a < antennas; ++a) {
    for (int l = 0; l < symbols; ++l) {
      for (int k = 0; k < fft; ++k) {
        cf32 sum{};
        for (int s = 0; s < streams; ++s) sum += channel(a, s, k) * tx[static_cast<std::size_t>((s * symbols + l) * fft + k)];
        y[static_cast<std::size_t>((a * symbols + l) * fft + k)] = sum;
      }
    }
  }
  return y;
}

struct Estimate {
  std::vector<cf32> h_hat;
  std::vector<float> err_var;
};

Estimate estimate(LsChannelEstimator& estimator, const std::vector<cf32>& y, float n0) {
  Estimate e{std::vector<cf32>(estimator.h_hat_size()), std::vector<float>(estimator.err_var_size())};
  estimator.estimate(y, n0, e.h_hat, e.err_var);
  return e;
}

cf32 at(const LsChannelEstimator& est, const Estimate& e, int a, int s, int p, int k) {
  return e.h_hat[static_cast<std::size_t>(((a * est.num_streams() + s) * est.num_pilot_symbols() + p) * est.fft_size() + k)];
}
float err_at(const LsChannelEstimator& est, const Estimate& e, int s, int p, int k) {
  return e.err_var[static_cast<std::size_t>((s * est.num_pilot_symbols() + p) * est.fft_size() + k)];
}

/// A random complex gain per (antenna, stream), deterministic.
cf32 flat_gain(int a, int s) {
  const float phase = 0.37f * static_cast<float>(a * 7 + s * 3 + 1);
  return std::polar(0.5f + 0.1f * static_cast<float>((a + 2 * s) % 5), phase);
}

}  // namespace

TEST(LsChannelEstimator, RecoversAFlatChannelExactlyWithoutNoise) {
  const GridConfig config{4, 32, 6, {1, 4}};
  const ResourceGrid grid(config, 11);
  const int antennas = 3;
  const auto y = receive(grid, antennas, [](int a, int s, int) { return flat_gain(a, s); });
  for (auto kind : {InterpolationKind::nearest, InterpolationKind::linear}) {
    LsChannelEstimator estimator(config, grid.pilots(), antennas, kind);
    const auto e = estimate(estimator, y, 0.0f);
    for (int a = 0; a < antennas; ++a) {
      for (int s = 0; s < config.num_streams; ++s) {
        for (int p = 0; p < 2; ++p) {
          for (int k = 0; k < config.fft_size; ++k) {
            EXPECT_LT(std::abs(at(estimator, e, a, s, p, k) - flat_gain(a, s)), 1e-6f) << a << s << p << k;
            EXPECT_EQ(err_at(estimator, e, s, p, k), 0.0f);
          }
        }
      }
    }
  }
}

TEST(LsChannelEstimator, LinearIsExactForAChannelLinearInFrequencyNearestHoldsTheNearestPilot) {
  const GridConfig config{4, 32, 4, {2}};
  const ResourceGrid grid(config, 12);
  auto channel = [](int, int s, int k) { return cf32(1.0f + 0.05f * static_cast<float>(k), 0.02f * static_cast<float>(s * k)); };
  const auto y = receive(grid, 1, channel);
  LsChannelEstimator lin(config, grid.pilots(), 1, InterpolationKind::linear);
  LsChannelEstimator nn(config, grid.pilots(), 1, InterpolationKind::nearest);
  const auto e_lin = estimate(lin, y, 0.0f);
  const auto e_nn = estimate(nn, y, 0.0f);
  const int spacing = config.num_streams, last = config.fft_size - spacing;  // last pilot: s + last
  for (int s = 0; s < config.num_streams; ++s) {
    for (int k = 0; k < config.fft_size; ++k) {
      // Outside the stream's pilots (k < s, k > s + last) linear holds the nearest (edge) pilot.
      const int source = std::clamp(k, s, s + last);
      EXPECT_LT(std::abs(at(lin, e_lin, 0, s, 0, k) - channel(0, s, k < s || k > s + last ? source : k)), 2e-6f)
          << "s " << s << " k " << k;
      // Nearest: the pilot at distance <= S/2, the lower one on a tie.
      const int offset = k - s;
      const int r = ((offset % spacing) + spacing) % spacing;
      const int nearest = std::clamp(offset - r + (2 * r <= spacing ? 0 : spacing), 0, last) + s;
      EXPECT_LT(std::abs(at(nn, e_nn, 0, s, 0, k) - channel(0, s, nearest)), 2e-6f) << "s " << s << " k " << k;
    }
  }
}

// Every subcarrier, bit for bit, against the interpolation rule evaluated one subcarrier at a time, on
// grids whose pilot spacing S is not a multiple of the estimator's 4-subcarrier vectors, with runs of a
// single subcarrier (S = 1), a run ending at the row's end and rows shorter than a vector. The
// estimator computes runs of subcarriers sharing their two source pilots with whole vectors that may
// spill into the next run; a wrong spill order or a write past a row would show here.
TEST(LsChannelEstimator, EverySubcarrierFollowsTheInterpolationRuleExactlyOnAwkwardGrids) {
  const GridConfig configs[] = {
      {5, 35, 4, {2, 0}}, {3, 3, 3, {1}}, {1, 16, 3, {0, 2}}, {6, 48, 5, {4}}, {7, 7, 2, {0}}};
  for (const GridConfig& config : configs) {
    const KroneckerPilots pilots(config, 21);
    const int antennas = 2, streams = config.num_streams, fft = config.fft_size, spacing = streams;
    const int num_p = config.num_pilot_symbols(), last_j = fft / spacing - 1;
    std::vector<cf32> y(static_cast<std::size_t>(antennas * config.num_ofdm_symbols * fft));
    RandomStream(13, 0, static_cast<std::uint64_t>(fft), RandomPurpose::test).fill_complex_normal(y);
    for (auto kind : {InterpolationKind::nearest, InterpolationKind::linear}) {
      LsChannelEstimator estimator(config, pilots, antennas, kind);
      const auto e = estimate(estimator, y, 0.5f);
      for (int a = 0; a < antennas; ++a) {
        for (int p = 0; p < num_p; ++p) {
          const auto ls = [&](int k) {  // y / pilot, as the estimator forms it: y * conj(x) / |x|^2
            const cf32 x = pilots.pilot_at(p, k);
            return y[static_cast<std::size_t>(
                       (a * config.num_ofdm_symbols + config.pilot_symbols[static_cast<std::size_t>(p)]) * fft + k)] *
                   (std::conj(x) / std::norm(x));
          };
          for (int s = 0; s < streams; ++s) {
            for (int k = 0; k < fft; ++k) {
              const int offset = k - s;
              cf32 expected = ls(std::clamp(offset, 0, last_j * spacing) + s);  // edges hold the end pilot
              if (offset > 0 && offset < last_j * spacing) {
                const int lower = s + offset / spacing * spacing, r = offset % spacing;
                if (kind == InterpolationKind::nearest) {
                  expected = ls(2 * r <= spacing ? lower : lower + spacing);
                } else {
                  const float w_upper = static_cast<float>(r) / static_cast<float>(spacing);
                  expected = (1.0f - w_upper) * ls(lower) + w_upper * ls(lower + spacing);
                }
              }
              const cf32 got = at(estimator, e, a, s, p, k);
              ASSERT_EQ(got.real(), expected.real())
                  << "S " << streams << " a " << a << " p " << p << " s " << s << " k " << k;
              ASSERT_EQ(got.imag(), expected.imag())
                  << "S " << streams << " a " << a << " p " << p << " s " << s << " k " << k;
            }
          }
        }
      }
    }
  }
}

TEST(LsChannelEstimator, ReportsTheNoiseVarianceOfEachInterpolatedEstimate) {
  const GridConfig config{8, 64, 5, {0, 3}};
  const ResourceGrid grid(config, 13);
  const std::vector<cf32> y(static_cast<std::size_t>(2 * 5 * 64));
  const float n0 = 0.3f;
  const float pilot_noise = n0 / static_cast<float>(config.num_streams);  // N0/|p|²
  LsChannelEstimator nn(config, grid.pilots(), 2, InterpolationKind::nearest);
  LsChannelEstimator lin(config, grid.pilots(), 2, InterpolationKind::linear);
  const auto e_nn = estimate(nn, y, n0);
  const auto e_lin = estimate(lin, y, n0);
  const int spacing = config.num_streams, last = config.fft_size - spacing;
  for (int s = 0; s < config.num_streams; ++s) {
    for (int p = 0; p < 2; ++p) {
      for (int k = 0; k < config.fft_size; ++k) {
        EXPECT_FLOAT_EQ(err_at(nn, e_nn, s, p, k), pilot_noise);
        const int offset = k - s;
        float gain = 1.0f;  // at a pilot and outside the pilots: one LS value
        if (offset > 0 && offset < last) {
          const float w = static_cast<float>(offset % spacing) / static_cast<float>(spacing);
          gain = (1 - w) * (1 - w) + w * w;
        }
        EXPECT_FLOAT_EQ(err_at(lin, e_lin, s, p, k), gain * pilot_noise) << "s " << s << " k " << k;
      }
    }
  }
  // Halfway between two pilots, linear interpolation halves the noise variance.
  EXPECT_FLOAT_EQ(err_at(lin, e_lin, 0, 0, spacing / 2), 0.5f * pilot_noise);
}

TEST(LsChannelEstimator, ChannelAtCombinesPilotSymbolsWithTheTimeWeights) {
  const GridConfig config{2, 8, 6, {1, 4}};
  const ResourceGrid grid(config, 14);
  const int antennas = 3, streams = 2, fft = 8;
  LsChannelEstimator estimator(config, grid.pilots(), antennas, InterpolationKind::nearest);
  std::vector<cf32> h_hat(estimator.h_hat_size());
  std::vector<float> err_var(estimator.err_var_size());
  for (std::size_t i = 0; i < h_hat.size(); ++i) h_hat[i] = cf32(static_cast<float>(i), 0.5f * static_cast<float>(i));
  for (std::size_t i = 0; i < err_var.size(); ++i) err_var[i] = 0.01f * static_cast<float>(i + 1);
  const TimeCombination c{2, {1, 0}, {0.25f, 0.75f}};
  const int k = 5;
  std::vector<cf32> h(static_cast<std::size_t>(antennas * streams));
  std::vector<float> err(streams);
  estimator.channel_at(h_hat, err_var, c, k, h, err);
  for (int s = 0; s < streams; ++s) {
    auto e = [&](int p) { return err_var[static_cast<std::size_t>((s * 2 + p) * fft + k)]; };
    EXPECT_FLOAT_EQ(err[static_cast<std::size_t>(s)], 0.0625f * e(1) + 0.5625f * e(0));
    for (int a = 0; a < antennas; ++a) {
      auto x = [&](int p) { return h_hat[static_cast<std::size_t>(((a * streams + s) * 2 + p) * fft + k)]; };
      const cf32 expected = 0.25f * x(1) + 0.75f * x(0);
      EXPECT_LT(std::abs(h[static_cast<std::size_t>(s * antennas + a)] - expected), 1e-4f);  // column-major A x S
    }
  }
  const TimeCombination single{1, {1, 1}, {1.0f, 0.0f}};
  estimator.channel_at(h_hat, err_var, single, k, h, err);
  EXPECT_EQ(h[1], h_hat[static_cast<std::size_t>((1 * streams + 0) * 2 * fft + fft + k)]);  // a = 1, s = 0, p = 1
}

TEST(LsChannelEstimator, RejectsGridsWithoutPilotsAndMisSizedBuffers) {
  const GridConfig no_pilots{2, 8, 6, {}};
  EXPECT_THROW(LsChannelEstimator(no_pilots, KroneckerPilots(no_pilots, 1), 2, InterpolationKind::nearest),
               invalid_config);
  const GridConfig config{2, 8, 6, {1}};
  const ResourceGrid grid(config, 1);
  LsChannelEstimator estimator(config, grid.pilots(), 2, InterpolationKind::nearest);
  std::vector<cf32> y(2 * 6 * 8), h_hat(estimator.h_hat_size());
  std::vector<float> err(estimator.err_var_size());
  EXPECT_NO_THROW(estimator.estimate(y, 0.1f, h_hat, err));
  EXPECT_THROW(estimator.estimate(std::span<const cf32>(y).first(y.size() - 1), 0.1f, h_hat, err), std::invalid_argument);
}

TEST(PilotSpacing, WarnsFromOneOverStreamsTimesSubcarrierSpacing) {
  // Seed scenario: 16 streams x 30 kHz -> pilots every 480 kHz resolve delays below 2.083 µs.
  const auto tdl_c = check_pilot_spacing(8.6523 * 100e-9, 16, 30e3);  // TDL-C's last tap at 100 ns DS
  EXPECT_TRUE(tdl_c.resolved);
  EXPECT_TRUE(tdl_c.warning.empty());
  EXPECT_NEAR(tdl_c.max_resolvable_delay_s, 1.0 / (16 * 30e3), 1e-18);
  const auto edge = check_pilot_spacing(1.0 / (16 * 30e3), 16, 30e3);
  EXPECT_FALSE(edge.resolved);
  const auto long_delay = check_pilot_spacing(3e-6, 16, 30e3);
  EXPECT_FALSE(long_delay.resolved);
  EXPECT_NE(long_delay.warning.find("max delay"), std::string::npos);
}
