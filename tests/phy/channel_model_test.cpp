// Channel models: factory, shapes, exact structure of h and determinism (fast invariants; the
// statistics are in channel_fading_stat_test.cpp).
#include "sixg/phy/channel/channel_model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstring>
#include <numbers>
#include <vector>

#include "sixg/phy/channel/awgn_channel.h"
#include "sixg/phy/channel/doppler_basis.h"
#include "sixg/phy/channel/tdl_channel.h"
#include "sixg/phy/channel/tdl_profile.h"

using namespace sixg::phy;

namespace {

constexpr ChannelModelKind kAllKinds[] = {ChannelModelKind::awgn,  ChannelModelKind::rayleigh, ChannelModelKind::tdl_a,
                                          ChannelModelKind::tdl_b, ChannelModelKind::tdl_c,    ChannelModelKind::tdl_d,
                                          ChannelModelKind::tdl_e};

ChannelConfig small_config(ChannelModelKind kind, double speed = 0.0) {
  ChannelConfig c;
  c.kind = kind;
  c.num_rx_ant = 4;
  c.num_tx = 3;
  c.fft_size = 72;  // not a multiple of 32 subcarriers: exercises the partial block
  c.num_ofdm_symbols = 14;
  c.speed = speed;
  return c;
}

std::size_t h_size(const ChannelConfig& c, const ChannelModel& m) {
  return static_cast<std::size_t>(c.num_rx_ant) * c.num_tx * m.num_time_samples() * c.fft_size;
}

std::vector<cf32> generate(const ChannelModel& m, const ChannelConfig& c, std::uint64_t frame) {
  std::vector<cf32> h(h_size(c, m));
  RandomStream rng(1234, 0, frame, RandomPurpose::channel);
  m.generate(rng, h);
  return h;
}

std::string option_of_invalid(const ChannelConfig& c) {
  try {
    make_channel_model(c);
  } catch (const invalid_config& e) {
    return e.option();
  }
  return "(accepted)";
}

}  // namespace

TEST(ChannelFactory, TimeSamplesAreOneWhenStaticElseOnePerSymbol) {
  for (auto kind : kAllKinds) {
    const bool fading_in_slot = kind != ChannelModelKind::awgn && kind != ChannelModelKind::rayleigh;
    EXPECT_EQ(make_channel_model(small_config(kind, 0.0))->num_time_samples(), 1);
    // Rayleigh is block fading (constant over the slot) whatever the speed; TDL follows the Doppler.
    EXPECT_EQ(make_channel_model(small_config(kind, 30.0))->num_time_samples(), fading_in_slot ? 14 : 1);
  }
}

TEST(ChannelFactory, OnlyAwgnAndRayleighAreFrequencyFlat) {
  for (auto kind : kAllKinds) {
    const bool flat = kind == ChannelModelKind::awgn || kind == ChannelModelKind::rayleigh;
    const auto c = small_config(kind, 30.0);
    const auto m = make_channel_model(c);
    EXPECT_EQ(m->frequency_flat(), flat) << "kind " << static_cast<int>(kind);
    if (!flat) continue;
    // The promise behind the flag: one matrix h[r][t] on every subcarrier and time sample.
    const auto h = generate(*m, c, 2);
    const std::size_t row = static_cast<std::size_t>(m->num_time_samples()) * c.fft_size;
    for (std::size_t i = 0; i < h.size(); ++i) ASSERT_EQ(h[i], h[i - i % row]) << "element " << i;
  }
}

TEST(ChannelFactory, RejectsBadValuesNamingTheOption) {
  auto c = small_config(ChannelModelKind::awgn);
  c.num_rx_ant = 2;  // fewer receive antennas than the 3 streams
  EXPECT_EQ(option_of_invalid(c), "--num-bs-ant");
  c = small_config(ChannelModelKind::tdl_c);
  c.speed = -1.0;
  EXPECT_EQ(option_of_invalid(c), "--speed");
  c = small_config(ChannelModelKind::tdl_a);
  c.delay_spread = std::nan("");
  EXPECT_EQ(option_of_invalid(c), "--delay-spread");
  c = small_config(ChannelModelKind::rayleigh);
  c.fft_size = 0;
  EXPECT_EQ(option_of_invalid(c), "--fft-size");
  c = small_config(ChannelModelKind::tdl_d);
  c.subcarrier_spacing = 0.0;
  EXPECT_EQ(option_of_invalid(c), "--subcarrier-spacing");
  c = small_config(ChannelModelKind::tdl_e);
  c.carrier_frequency = -3.5e9;
  EXPECT_EQ(option_of_invalid(c), "--carrier-frequency");
}

TEST(ChannelFactory, RefusesDopplerTooFastForTheFixedScratch) {
  // 64 symbols with f_D * slot ~ 100: the Jakes correlation matrix has full rank 64 > kMaxDopplerRank.
  auto c = small_config(ChannelModelKind::tdl_a, 3000.0);
  c.num_ofdm_symbols = 64;
  c.carrier_frequency = 100e9;
  EXPECT_EQ(option_of_invalid(c), "--speed");
}

TEST(ChannelModel, GenerateRejectsAWronglySizedOutput) {
  for (auto kind : kAllKinds) {
    const auto c = small_config(kind);
    const auto m = make_channel_model(c);
    std::vector<cf32> h(h_size(c, *m) + 1);
    RandomStream rng(1, 0, 0, RandomPurpose::channel);
    EXPECT_THROW(m->generate(rng, h), std::invalid_argument);
  }
}

TEST(AwgnChannel, IsTheIdentityFromStreamToAntenna) {
  const auto c = small_config(ChannelModelKind::awgn);
  const auto h = generate(*make_channel_model(c), c, 0);
  for (int r = 0; r < c.num_rx_ant; ++r) {
    for (int t = 0; t < c.num_tx; ++t) {
      for (int k = 0; k < c.fft_size; ++k) {
        ASSERT_EQ(h[(static_cast<std::size_t>(r) * c.num_tx + t) * c.fft_size + k], cf32(r == t ? 1.0f : 0.0f));
      }
    }
  }
}

TEST(RayleighBlockFading, IsFlatAcrossSubcarriersAndIndependentPerPairAndFrame) {
  const auto c = small_config(ChannelModelKind::rayleigh);
  const auto m = make_channel_model(c);
  const auto h = generate(*m, c, 0), next_frame = generate(*m, c, 1);
  const auto k = static_cast<std::size_t>(c.fft_size);
  for (std::size_t p = 0; p < h.size() / k; ++p) {
    for (std::size_t i = 1; i < k; ++i) {
      ASSERT_EQ(h[p * k + i], h[p * k]) << "pair " << p;
    }
    if (p > 0) {
      EXPECT_NE(h[p * k], h[(p - 1) * k]);
    }
    EXPECT_NE(h[p * k], next_frame[p * k]);
  }
}

TEST(ChannelModel, SameStreamGivesBitIdenticalResponseAtAnyAddress) {
  // The pipeline writes each frame's h into its slot of a batch tensor: the values must not depend on
  // the slot's alignment (vector loops peel differently) nor on anything but the stream.
  for (auto kind : kAllKinds) {
    for (double speed : {0.0, 30.0}) {
      const auto c = small_config(kind, speed);
      const auto m = make_channel_model(c);
      const auto a = generate(*m, c, 7);
      std::vector<cf32> shifted(a.size() + 1);
      RandomStream rng(1234, 0, 7, RandomPurpose::channel);
      m->generate(rng, std::span<cf32>(shifted).subspan(1));
      ASSERT_EQ(0, std::memcmp(a.data(), shifted.data() + 1, a.size() * sizeof(cf32)))
          << "kind " << static_cast<int>(kind) << " speed " << speed;
      if (kind != ChannelModelKind::awgn) {
        EXPECT_NE(a, generate(*m, c, 8));
      }
    }
  }
}

TEST(TdlChannel, ResponseHoldsOnlyTheProfilesDelays) {
  // Delays on the DFT grid (multiples of 1/(K df)): the inverse DFT across subcarriers of
  // h(k) = sum_d a_d exp(-j 2 pi (k - K/2) m_d / K) is a_d at bin m_d and zero elsewhere. Checks the
  // delay scaling, the centred frequency order and the sign of the phase, at every time sample.
  auto c = small_config(ChannelModelKind::tdl_a, 60.0);
  c.delay_spread = 1.0 / (c.fft_size * c.subcarrier_spacing);
  const TdlProfile profile{{0.0, 3.0, 3.0, 10.0}, {0.0, -3.0, -6.0, -9.0}, false};
  const TdlChannel m(c, profile);
  const auto h = generate(m, c, 3);
  const int kk = c.fft_size;
  for (std::size_t row = 0; row < h.size() / kk; ++row) {
    double on_taps = 0.0, off_taps = 0.0;
    for (int bin = 0; bin < kk; ++bin) {
      std::complex<double> tap = 0.0;
      for (int k = 0; k < kk; ++k) {
        tap += std::complex<double>(h[row * kk + k]) *
               std::polar(1.0, 2.0 * std::numbers::pi * (k - kk / 2) * bin / static_cast<double>(kk));
      }
      tap /= kk;
      (bin == 0 || bin == 3 || bin == 10 ? on_taps : off_taps) += std::norm(tap);
    }
    ASSERT_GT(on_taps, 0.0);
    EXPECT_LT(off_taps, 1e-10 * on_taps) << "row " << row;
  }
}

TEST(TdlChannel, SpecularPathRotatesAtItsDopplerShift) {
  // A LoS profile whose Rayleigh part is negligible (-300 dB) leaves the specular phasor alone:
  // h(l, k) = exp(j(2 pi f_D cos(pi/4) t_l + phi0)), t_l = l (K + cp) / (K df), on every subcarrier.
  const auto c = small_config(ChannelModelKind::tdl_d, 50.0);
  const TdlProfile profile{{0.0, 0.0}, {0.0, -300.0}, true};
  const TdlChannel m(c, profile);
  ASSERT_EQ(m.num_time_samples(), c.num_ofdm_symbols);
  const auto h = generate(m, c, 5);
  const double doppler = c.speed * c.carrier_frequency / 299792458.0 * std::cos(std::numbers::pi / 4.0);
  const auto k = static_cast<std::size_t>(c.fft_size);
  for (std::size_t p = 0; p < h.size() / (k * c.num_ofdm_symbols); ++p) {
    const cf32 first = h[p * c.num_ofdm_symbols * k];
    EXPECT_NEAR(std::abs(first), 1.0, 1e-6);
    for (int l = 0; l < c.num_ofdm_symbols; ++l) {
      const double t = l * (c.fft_size + c.cp_length) / (c.fft_size * c.subcarrier_spacing);
      const auto expected = std::complex<double>(first) * std::polar(1.0, 2.0 * std::numbers::pi * doppler * t);
      for (std::size_t i = 0; i < k; ++i) {
        const auto got = std::complex<double>(h[(p * c.num_ofdm_symbols + l) * k + i]);
        ASSERT_LT(std::abs(got - expected), 1e-5) << "pair " << p << " symbol " << l << " subcarrier " << i;
      }
    }
  }
}

TEST(TdlChannel, FastResponseEqualsTheSumOverTapsInDouble) {
  // Replays generate()'s draws (per pair: phi0 for LoS, then rank complex normals per Rayleigh entry)
  // and evaluates the header's definition directly in double, tap by tap, at every RE:
  //   h[l][k] = sum_i a_i(t_l) exp(-j 2 pi f_k tau_i),  a_i(t_l) = sqrt(P_i) sum_j B[l][j] w[i][j]
  // plus the LoS entry sqrt(P_0) exp(j (2 pi f_D cos(pi/4) t_l + phi0)). Catches a wrong table entry,
  // delay, frequency origin, Doppler mix or draw order; the bound is float rounding of a 24-tap sum.
  for (auto kind : {ChannelModelKind::tdl_c, ChannelModelKind::tdl_d}) {
    for (double speed : {0.0, 30.0}) {
      auto c = small_config(kind, speed);
      c.fft_size = 75;  // partial last block
      const auto profile = tdl_profile(kind);
      const TdlChannel m(c, profile);
      const auto h = generate(m, c, 11);

      const int times = m.num_time_samples();
      std::vector<double> t_l(static_cast<std::size_t>(times));
      for (int l = 0; l < times; ++l) t_l[l] = l * (c.fft_size + c.cp_length) / (c.fft_size * c.subcarrier_spacing);
      const double doppler = c.speed * c.carrier_frequency / 299792458.0;
      const DopplerBasis basis(t_l, doppler);
      ASSERT_EQ(basis.rank(), m.doppler_rank());
      const auto powers = profile.normalized_powers();
      const int first_rayleigh = profile.los ? 1 : 0;
      const auto num_rayleigh = static_cast<std::size_t>(profile.num_entries() - first_rayleigh);
      const auto rank = static_cast<std::size_t>(basis.rank());

      RandomStream rng(1234, 0, 11, RandomPurpose::channel);
      std::vector<cf32> w(num_rayleigh * rank);
      const double eps = 0x1p-24;
      double worst = 0.0;
      for (int p = 0; p < c.num_rx_ant * c.num_tx; ++p) {
        const double phi0 = profile.los ? 2.0 * std::numbers::pi * rng.next_uniform() : 0.0;
        rng.fill_complex_normal(w);
        for (int l = 0; l < times; ++l) {
          std::vector<std::complex<double>> gain(static_cast<std::size_t>(profile.num_entries()));
          if (profile.los) {
            gain[0] = std::sqrt(powers[0]) *
                      std::polar(1.0, phi0 + 2.0 * std::numbers::pi * doppler * std::cos(std::numbers::pi / 4) * t_l[l]);
          }
          for (std::size_t i = 0; i < num_rayleigh; ++i) {
            std::complex<double> a = 0.0;
            for (std::size_t j = 0; j < rank; ++j) a += static_cast<double>(basis.at(l, static_cast<int>(j))) * std::complex<double>(w[i * rank + j]);
            gain[i + first_rayleigh] = std::sqrt(powers[i + first_rayleigh]) * a;
          }
          double magnitude = 0.0;
          for (const auto& g : gain) magnitude += std::abs(g);
          for (int k = 0; k < c.fft_size; ++k) {
            const double f = (k - c.fft_size / 2) * c.subcarrier_spacing;
            std::complex<double> expected = 0.0;
            for (int i = 0; i < profile.num_entries(); ++i) {
              expected += gain[i] * std::polar(1.0, -2.0 * std::numbers::pi * f * profile.normalized_delays[i] * c.delay_spread);
            }
            const auto got = std::complex<double>(h[(static_cast<std::size_t>(p) * times + l) * c.fft_size + k]);
            // ~4 roundings per tap term (phasor, gain, product, sum) plus the Doppler mix and the LoS phase.
            const double bound = 8.0 * (profile.num_entries() + static_cast<int>(rank) + 4) * eps * magnitude;
            ASSERT_LE(std::abs(got - expected), bound) << "pair " << p << " l " << l << " k " << k;
            worst = std::max(worst, std::abs(got - expected) / magnitude);
          }
        }
      }
      EXPECT_GT(worst, 0.0);  // the comparison really ran against independent arithmetic
    }
  }
}

TEST(TdlChannel, StaticChannelDrawsOneGainPerTapAndPair) {
  // Speed 0: one complex normal per Rayleigh entry (plus one uniform for a LoS phase) per pair, so the
  // stream position after generate() is fixed; a second model sharing the stream continues from there.
  const auto c = small_config(ChannelModelKind::tdl_c);
  const auto m = make_channel_model(c);
  const auto& tdl = dynamic_cast<const TdlChannel&>(*m);
  EXPECT_EQ(tdl.doppler_rank(), 1);
  std::vector<cf32> h(h_size(c, *m));
  RandomStream used(9, 0, 0, RandomPurpose::channel), reference(9, 0, 0, RandomPurpose::channel);
  m->generate(used, h);
  std::vector<cf32> draws(static_cast<std::size_t>(c.num_rx_ant) * c.num_tx * tdl_profile(c.kind).num_entries());
  reference.fill_complex_normal(draws);
  EXPECT_EQ(used.next_u32(), reference.next_u32());
}

TEST(TdlChannel, EachPairIsTheOnePairModelOnTheSameStreamBitForBit) {
  // Pairs are independent and draw in pair order, so a 15-pair model must equal 15 successive calls of a
  // 1 x 1 model on the same stream, bit for bit. generate() works on groups of pairs that share passes
  // over the phasor table (15 pairs: a full group and a partial one); a gain, LoS phase or output row
  // taken from the wrong pair of a group breaks the equality.
  for (auto kind : {ChannelModelKind::tdl_c, ChannelModelKind::tdl_d}) {
    for (double speed : {0.0, 30.0}) {
      auto c = small_config(kind, speed);
      c.num_rx_ant = 5;
      const TdlChannel model(c, tdl_profile(kind));
      auto one = c;
      one.num_rx_ant = one.num_tx = 1;
      const TdlChannel single(one, tdl_profile(kind));
      const auto h = generate(model, c, 3);
      RandomStream rng(1234, 0, 3, RandomPurpose::channel);  // generate()'s stream for frame 3
      const std::size_t pair_size = h_size(one, single);
      std::vector<cf32> pair(pair_size);
      for (std::size_t p = 0; p < static_cast<std::size_t>(c.num_rx_ant * c.num_tx); ++p) {
        single.generate(rng, pair);
        ASSERT_EQ(0, std::memcmp(pair.data(), h.data() + p * pair_size, pair_size * sizeof(cf32)))
            << "kind " << static_cast<int>(kind) << " speed " << speed << " pair " << p;
      }
    }
  }
}
