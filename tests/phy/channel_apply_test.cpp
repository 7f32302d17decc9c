// apply_channel and apply_flat_channel against the defining sum (in double, and in float in the promised
// operation order); add_awgn's exact (non-statistical)
// properties.
#include <gtest/gtest.h>

#include <algorithm>
#include <complex>
#include <cstring>
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

std::size_t h_size(const ChannelDims& d, int times) {
  return static_cast<std::size_t>(d.num_rx_ant) * d.num_tx * times * d.fft_size;
}
std::size_t x_size(const ChannelDims& d) { return static_cast<std::size_t>(d.num_tx) * d.num_ofdm_symbols * d.fft_size; }
std::size_t y_size(const ChannelDims& d) {
  return static_cast<std::size_t>(d.num_rx_ant) * d.num_ofdm_symbols * d.fft_size;
}

cf32 h_at(const std::vector<cf32>& h, int times, const ChannelDims& d, int r, int t, int l, int k) {
  const int lh = times == 1 ? 0 : l;
  return h[((static_cast<std::size_t>(r) * d.num_tx + t) * times + lh) * d.fft_size + k];
}

struct Reference {
  std::vector<std::complex<double>> value;  // the sum in double
  std::vector<double> magnitude;            // sum_t |h| |x|, which bounds the float rounding error
  std::vector<cf32> ordered;                // the sum in float, in the documented operation order
};

// y[r][l][k] = sum_t h[r][t][l'][k] x[t][l][k], once in double and once in float with the order the
// header promises: p_t = (hr xr - hi xi) + j (hr xi + hi xr), acc = p_0, acc += p_t for t = 1, 2, ...
Reference reference_apply(const std::vector<cf32>& h, int times, const std::vector<cf32>& x, const ChannelDims& d) {
  Reference ref{std::vector<std::complex<double>>(y_size(d)), std::vector<double>(y_size(d)), std::vector<cf32>(y_size(d))};
  for (int r = 0; r < d.num_rx_ant; ++r) {
    for (int l = 0; l < d.num_ofdm_symbols; ++l) {
      for (int k = 0; k < d.fft_size; ++k) {
        std::complex<double> sum = 0.0;
        double magnitude = 0.0;
        float re = 0.0f, im = 0.0f;
        for (int t = 0; t < d.num_tx; ++t) {
          const cf32 hv = h_at(h, times, d, r, t, l, k);
          const cf32 xv = x[(static_cast<std::size_t>(t) * d.num_ofdm_symbols + l) * d.fft_size + k];
          sum += std::complex<double>(hv) * std::complex<double>(xv);
          magnitude += std::abs(std::complex<double>(hv)) * std::abs(std::complex<double>(xv));
          const float pr = hv.real() * xv.real() - hv.imag() * xv.imag();
          const float pi = hv.real() * xv.imag() + hv.imag() * xv.real();
          re = t == 0 ? pr : re + pr;
          im = t == 0 ? pi : im + pi;
        }
        const std::size_t i = (static_cast<std::size_t>(r) * d.num_ofdm_symbols + l) * d.fft_size + k;
        ref.value[i] = sum;
        ref.magnitude[i] = magnitude;
        ref.ordered[i] = {re, im};
      }
    }
  }
  return ref;
}

// Float rounding of a T-term sum of complex products: each product is within ~2 eps |h||x| per
// component and recursive summation adds at most T eps of the running magnitude, so (T + 4) eps
// sum_t |h||x| (times sqrt 2 for the complex modulus) bounds the error; a wrong term is O(|h||x|).
void expect_close_to_exact(const std::vector<cf32>& y, const Reference& ref, int num_tx, const char* what) {
  const double eps = 0x1p-24;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const double bound = 1.5 * (num_tx + 4) * eps * ref.magnitude[i] + 1e-30;
    ASSERT_LE(std::abs(std::complex<double>(y[i]) - ref.value[i]), bound) << what << " element " << i;
  }
}

// Runs apply_channel with h, x and y placed `offset` elements into larger buffers (offset 1 breaks
// every 16- and 32-byte alignment) and returns y.
std::vector<cf32> apply_at_offset(const std::vector<cf32>& h, int times, const std::vector<cf32>& x,
                                  const ChannelDims& d, std::size_t offset) {
  std::vector<cf32> hb(h.size() + offset), xb(x.size() + offset), yb(y_size(d) + offset, cf32(99.0f, -99.0f));
  std::copy(h.begin(), h.end(), hb.begin() + static_cast<std::ptrdiff_t>(offset));
  std::copy(x.begin(), x.end(), xb.begin() + static_cast<std::ptrdiff_t>(offset));
  apply_channel(std::span<const cf32>(hb).subspan(offset), times, std::span<const cf32>(xb).subspan(offset),
                std::span<cf32>(yb).subspan(offset), d);
  return {yb.begin() + static_cast<std::ptrdiff_t>(offset), yb.end()};
}

// Shapes that exercise every path: the seed-like block sizes, subcarrier counts that leave partial
// vectors (12, 37, 9), 7 streams, more streams than one internal chunk (70 > 64, 130 > 128), symbol
// counts that leave every tile remainder (1 to 3 of 4), and symbols split over several chunks of x
// scratch (33 and 70 streams with 14 symbols).
constexpr ChannelDims kShapes[] = {{5, 3, 4, 37},  {4, 7, 3, 12},   {3, 16, 14, 64}, {2, 70, 2, 40},
                                   {3, 130, 1, 12}, {3, 33, 14, 9}, {2, 70, 14, 20}, {2, 5, 5, 15}};

}  // namespace

TEST(ApplyChannel, EqualsTheDefiningSumForStaticAndPerSymbolChannels) {
  for (const auto& d : kShapes) {
    for (int times : {1, d.num_ofdm_symbols}) {
      const auto h = random_vector(h_size(d, times), 1), x = random_vector(x_size(d), 2);
      std::vector<cf32> y(y_size(d), cf32(99.0f, 99.0f));
      apply_channel(h, times, x, y, d);
      const auto ref = reference_apply(h, times, x, d);
      expect_close_to_exact(y, ref, d.num_tx, "apply_channel");
      // Bit for bit the documented order: no FMA, no reassociation across streams, whatever path
      // (vector body, partial block, stream chunk) computed the element.
      ASSERT_EQ(0, std::memcmp(y.data(), ref.ordered.data(), y.size() * sizeof(cf32)))
          << "tx " << d.num_tx << " fft " << d.fft_size << " times " << times;
    }
  }
}

TEST(ApplyChannel, ResultDoesNotDependOnBufferAlignment) {
  const ChannelDims d{3, 7, 14, 36};
  for (int times : {1, d.num_ofdm_symbols}) {
    const auto h = random_vector(h_size(d, times), 3), x = random_vector(x_size(d), 4);
    const auto aligned = apply_at_offset(h, times, x, d, 0);
    for (std::size_t offset : {1, 2, 3}) {
      const auto shifted = apply_at_offset(h, times, x, d, offset);
      ASSERT_EQ(0, std::memcmp(aligned.data(), shifted.data(), aligned.size() * sizeof(cf32)))
          << "times " << times << " offset " << offset;
    }
  }
}

TEST(ApplyFlatChannel, EqualsApplyChannelOnTheBroadcastMatrixBitForBit) {
  for (const auto& d : kShapes) {
    const auto h_rs = random_vector(static_cast<std::size_t>(d.num_rx_ant) * d.num_tx, 5);
    const auto x = random_vector(x_size(d), 6);
    std::vector<cf32> h(h_size(d, 1));
    for (std::size_t pair = 0; pair < h_rs.size(); ++pair) {
      std::fill_n(h.begin() + static_cast<std::ptrdiff_t>(pair * d.fft_size), d.fft_size, h_rs[pair]);
    }
    std::vector<cf32> flat(y_size(d), cf32(99.0f, 99.0f)), full(y_size(d));
    apply_flat_channel(h_rs, x, flat, d);
    apply_channel(h, 1, x, full, d);
    const auto ref = reference_apply(h, 1, x, d);
    expect_close_to_exact(flat, ref, d.num_tx, "apply_flat_channel");
    ASSERT_EQ(0, std::memcmp(flat.data(), full.data(), flat.size() * sizeof(cf32))) << "tx " << d.num_tx;

    // Misaligned buffers give the same bits.
    std::vector<cf32> xb(x.size() + 1), yb(flat.size() + 1);
    std::copy(x.begin(), x.end(), xb.begin() + 1);
    apply_flat_channel(h_rs, std::span<const cf32>(xb).subspan(1), std::span<cf32>(yb).subspan(1), d);
    ASSERT_EQ(0, std::memcmp(flat.data(), yb.data() + 1, flat.size() * sizeof(cf32))) << "tx " << d.num_tx;
  }
}

TEST(ApplyChannel, RejectsMismatchedShapes) {
  const ChannelDims d{2, 2, 3, 8};
  std::vector<cf32> h(2 * 2 * 8), x(2 * 3 * 8), y(2 * 3 * 8);
  EXPECT_NO_THROW(apply_channel(h, 1, x, y, d));
  EXPECT_THROW(apply_channel(h, 2, x, y, d), std::invalid_argument);  // neither 1 nor num_ofdm_symbols
  std::vector<cf32> short_y(y.size() - 1);
  EXPECT_THROW(apply_channel(h, 1, x, short_y, d), std::invalid_argument);
  std::vector<cf32> h_rs(2 * 2);
  EXPECT_NO_THROW(apply_flat_channel(h_rs, x, y, d));
  EXPECT_THROW(apply_flat_channel(h, x, y, d), std::invalid_argument);  // a full h is not a matrix
  EXPECT_THROW(apply_flat_channel(h_rs, x, short_y, d), std::invalid_argument);
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
