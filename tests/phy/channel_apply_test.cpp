// apply_channel against the defining sum written as a plain loop; add_awgn's exact (non-statistical)
// properties.
#include <gtest/gtest.h>

#include <complex>
#include <vector>

#include "sixg/phy/channel/apply_channel.h"
#include "sixg/phy/channel/awgn_noise.h"

using namespace sixg::phy;

namespace {

std::vector<cf32> random_vector(std::size_t n, std::uint64_t frame) {
  std::vector<cf32> v(n);
  RandomStream rng(5, 0, frame, RandomPurpose::test);
  rng.fill_complex_normal(v);
  return v;
}

// y[r][l][k] = sum_t h[r][t][l'][k] x[t][l][k], in double.
std::vector<std::complex<double>> naive_apply(const std::vector<cf32>& h, int times, const std::vector<cf32>& x,
                                              const ChannelDims& d) {
  std::vector<std::complex<double>> y(static_cast<std::size_t>(d.num_rx_ant) * d.num_ofdm_symbols * d.fft_size);
  for (int r = 0; r < d.num_rx_ant; ++r) {
    for (int l = 0; l < d.num_ofdm_symbols; ++l) {
      for (int k = 0; k < d.fft_size; ++k) {
        std::complex<double> sum = 0.0;
        for (int t = 0; t < d.num_tx; ++t) {
          const int lh = times == 1 ? 0 : l;
          sum += std::complex<double>(h[((static_cast<std::size_t>(r) * d.num_tx + t) * times + lh) * d.fft_size + k]) *
                 std::complex<double>(x[(static_cast<std::size_t>(t) * d.num_ofdm_symbols + l) * d.fft_size + k]);
        }
        y[(static_cast<std::size_t>(r) * d.num_ofdm_symbols + l) * d.fft_size + k] = sum;
      }
    }
  }
  return y;
}

}  // namespace

TEST(ApplyChannel, MatchesTheDefiningSumForStaticAndPerSymbolChannels) {
  const ChannelDims d{5, 3, 4, 37};
  for (int times : {1, d.num_ofdm_symbols}) {
    const auto h = random_vector(static_cast<std::size_t>(d.num_rx_ant) * d.num_tx * times * d.fft_size, 1);
    const auto x = random_vector(static_cast<std::size_t>(d.num_tx) * d.num_ofdm_symbols * d.fft_size, 2);
    std::vector<cf32> y(static_cast<std::size_t>(d.num_rx_ant) * d.num_ofdm_symbols * d.fft_size, cf32(99.0f, 99.0f));
    apply_channel(h, times, x, y, d);
    const auto expected = naive_apply(h, times, x, d);
    for (std::size_t i = 0; i < y.size(); ++i) {
      // Three float products summed: a few ulps of the terms' magnitude (each ~1).
      ASSERT_LT(std::abs(std::complex<double>(y[i]) - expected[i]), 1e-5) << "times " << times << " element " << i;
    }
  }
}

TEST(ApplyChannel, RejectsMismatchedShapes) {
  const ChannelDims d{2, 2, 3, 8};
  std::vector<cf32> h(2 * 2 * 8), x(2 * 3 * 8), y(2 * 3 * 8);
  EXPECT_NO_THROW(apply_channel(h, 1, x, y, d));
  EXPECT_THROW(apply_channel(h, 2, x, y, d), std::invalid_argument);  // neither 1 nor num_ofdm_symbols
  std::vector<cf32> short_y(y.size() - 1);
  EXPECT_THROW(apply_channel(h, 1, x, short_y, d), std::invalid_argument);
}

TEST(AddAwgn, NoiseDependsOnlyOnTheStreamNotOnHowTheGridIsSplit) {
  std::vector<cf32> whole(1500, cf32(1.0f, -2.0f)), split = whole;
  RandomStream a(3, 1, 4, RandomPurpose::noise), b(3, 1, 4, RandomPurpose::noise);
  add_awgn(a, whole, 0.5f);
  // Pieces of odd sizes straddling the internal 512-element chunks.
  add_awgn(b, std::span<cf32>(split).subspan(0, 333), 0.5f);
  add_awgn(b, std::span<cf32>(split).subspan(333, 700), 0.5f);
  add_awgn(b, std::span<cf32>(split).subspan(1033), 0.5f);
  EXPECT_EQ(whole, split);
  EXPECT_NE(whole[0], cf32(1.0f, -2.0f));
}

TEST(AddAwgn, ZeroNoiseLeavesTheSignalAndBadNoiseIsRejected) {
  std::vector<cf32> y(10, cf32(0.5f, 0.25f));
  RandomStream rng(3, 0, 0, RandomPurpose::noise);
  add_awgn(rng, y, 0.0f);
  EXPECT_EQ(y, std::vector<cf32>(10, cf32(0.5f, 0.25f)));
  EXPECT_THROW(add_awgn(rng, y, -1.0f), std::invalid_argument);
  EXPECT_THROW(add_awgn(rng, y, std::nanf("")), std::invalid_argument);
}
