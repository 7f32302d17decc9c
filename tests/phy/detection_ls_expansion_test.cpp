// The batched detector's on-the-fly LS expansion (ChannelGroupView::ls with the estimator's
// frequency_interpolation() tables, as the pipeline runs it) against detection from the estimator's
// full [A, S, P, F] estimate h_hat: the same bits, for both frequency interpolations, one- and two-term
// time combinations, FFT sizes with a partial last block, 1 to 3 pilot symbols and every detector.
#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <vector>

#include "sixg/phy/detection/subcarrier_batch_detector.h"
#include "sixg/phy/estimation/ls_channel_estimator.h"
#include "sixg/phy/grid/kronecker_pilots.h"
#include "sixg/phy/random/random_stream.h"

using namespace sixg::phy;

namespace {

struct Case {
  int antennas, streams, fft;
  std::vector<int> pilot_symbols;
  InterpolationKind interpolation;
  int num_terms;
};

template <class T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
}

void expect_same_bits(const Case& c, DetectorKind kind, std::uint64_t frame, bool with_special_values = false) {
  GridConfig grid;
  grid.num_streams = c.streams;
  grid.fft_size = c.fft;
  grid.num_ofdm_symbols = 14;
  grid.pilot_symbols = c.pilot_symbols;
  const KroneckerPilots pilots(grid, 1);
  LsChannelEstimator estimator(grid, pilots, c.antennas, c.interpolation);
  const int P = grid.num_pilot_symbols(), F = c.fft, L = grid.num_ofdm_symbols;

  std::vector<cf32> y(static_cast<std::size_t>(c.antennas * L * F));
  RandomStream(3, 0, frame, RandomPurpose::test).fill_complex_normal(y);
  if (with_special_values) {
    // Signed zeros and non-finite values at pilot REs of antenna 0: the two paths must agree on those too
    // (sign of zero, which outputs turn NaN or silent), not only on ordinary numbers.
    const auto pilot_re = [&](int p, int k) -> cf32& {
      return y[static_cast<std::size_t>(c.pilot_symbols[static_cast<std::size_t>(p)] * F + k)];
    };
    pilot_re(0, 0) = cf32(-0.0f, -0.0f);
    pilot_re(0, 1) = cf32(0.0f, -0.0f);
    pilot_re(0, F / 2) = cf32(std::numeric_limits<float>::quiet_NaN(), 1.0f);
    pilot_re(P - 1, F - 1) = cf32(std::numeric_limits<float>::infinity(), 0.0f);
  }
  const float n0 = 0.05f;

  std::vector<cf32> h_hat(estimator.h_hat_size()), ls(estimator.ls_size());
  std::vector<float> err(estimator.err_var_size()), err_from_pilots(estimator.err_var_size());
  estimator.estimate(y, n0, h_hat, err);
  estimator.estimate_pilots(y, n0, ls, err_from_pilots);
  ASSERT_TRUE(same_bits(err, err_from_pilots));

  // Five columns: data symbols 0, 1, 4, 7, 13.
  const std::vector<std::ptrdiff_t> y_offset{0, F, 4 * F, 7 * F, 13 * F};
  const std::vector<std::ptrdiff_t> x_offset{0, F, 2 * F, 3 * F, 4 * F};
  const std::size_t x_size = static_cast<std::size_t>(c.streams) * x_offset.size() * static_cast<std::size_t>(F);

  ChannelGroupView g;
  g.num_terms = c.num_terms;
  g.term_offset[0] = 0;
  g.term_offset[1] = static_cast<std::ptrdiff_t>(P - 1) * F;  // the last pilot symbol
  g.weight[0] = c.num_terms == 2 ? 0.3f : 1.0f;
  g.weight[1] = c.num_terms == 2 ? 0.7f : 0.0f;
  g.err = err.data();
  g.err_stream_stride = static_cast<std::ptrdiff_t>(P) * F;
  g.err_term_offset[0] = g.term_offset[0];
  g.err_term_offset[1] = g.term_offset[1];
  g.n0 = n0;
  g.y = y.data();
  g.y_ant_stride = static_cast<std::ptrdiff_t>(L) * F;
  g.y_column_offset = y_offset;
  g.x_stream_stride = static_cast<std::ptrdiff_t>(x_offset.size()) * F;
  g.x_column_offset = x_offset;

  SubcarrierBatchDetector detector(kind, c.antennas, c.streams, F);
  std::vector<cf32> x_direct(x_size, cf32(-7.0f, -7.0f)), x_expanded(x_size, cf32(-9.0f, -9.0f));
  std::vector<float> nv_direct(x_size, -7.0f), nv_expanded(x_size, -9.0f);

  ChannelGroupView direct = g;  // h_hat [A, S, P, F]
  direct.h = h_hat.data();
  direct.ant_stride = static_cast<std::ptrdiff_t>(c.streams) * P * F;
  direct.stream_stride = static_cast<std::ptrdiff_t>(P) * F;
  direct.x_hat = x_direct.data();
  direct.nv = nv_direct.data();
  detector.detect(direct);

  ChannelGroupView expanded = g;  // ls [A, P, F] and the tables
  expanded.ls = ls.data();
  expanded.interpolation = estimator.frequency_interpolation();
  expanded.ant_stride = static_cast<std::ptrdiff_t>(P) * F;
  expanded.x_hat = x_expanded.data();
  expanded.nv = nv_expanded.data();
  detector.detect(expanded);

  EXPECT_TRUE(same_bits(x_direct, x_expanded)) << "x_hat differs: F " << F << " S " << c.streams << " terms "
                                               << c.num_terms << " kind " << static_cast<int>(kind);
  EXPECT_TRUE(same_bits(nv_direct, nv_expanded)) << "1/SINR differs: F " << F << " S " << c.streams;
}

TEST(LsExpansionInTheDetector, GivesTheBitsOfDetectingFromTheFullEstimate) {
  const Case cases[] = {
      {32, 16, 512, {2, 11}, InterpolationKind::nearest, 1},  // the default scenario
      {32, 16, 512, {2, 11}, InterpolationKind::linear, 2},
      {8, 4, 44, {3}, InterpolationKind::linear, 1},  // partial last block (44 = 5 x 8 + 4)
      {8, 4, 44, {3}, InterpolationKind::nearest, 1},
      {6, 3, 99, {1, 6, 12}, InterpolationKind::linear, 2},  // 3 pilots, odd sizes
      {7, 6, 30, {0, 13}, InterpolationKind::nearest, 2},
  };
  std::uint64_t frame = 0;
  for (const Case& c : cases) {
    for (const DetectorKind kind : {DetectorKind::mrc, DetectorKind::zf, DetectorKind::lmmse}) {
      expect_same_bits(c, kind, frame++);
    }
  }
}

TEST(LsExpansionInTheDetector, AgreesOnSignedZerosAndNonFiniteReceivedValues) {
  const Case cases[] = {
      {32, 16, 512, {2, 11}, InterpolationKind::nearest, 1},
      {32, 16, 512, {2, 11}, InterpolationKind::linear, 2},
      {8, 4, 44, {3}, InterpolationKind::linear, 1},
  };
  std::uint64_t frame = 100;
  for (const Case& c : cases) {
    for (const DetectorKind kind : {DetectorKind::mrc, DetectorKind::zf, DetectorKind::lmmse}) {
      expect_same_bits(c, kind, frame++, true);
    }
  }
}

TEST(LsExpansionInTheDetector, NeedsAllFourTablesAndExactlyOneChannelSource) {
  GridConfig grid;
  grid.num_streams = 2;
  grid.fft_size = 16;
  const KroneckerPilots pilots(grid, 1);
  LsChannelEstimator estimator(grid, pilots, 2, InterpolationKind::nearest);
  std::vector<cf32> ls(estimator.ls_size()), h(estimator.h_hat_size()), y(2 * 14 * 16), x(2 * 16);
  std::vector<float> nv(2 * 16);
  const std::vector<std::ptrdiff_t> offset{0};
  ChannelGroupView g;
  g.y = y.data();
  g.y_ant_stride = 14 * 16;
  g.y_column_offset = offset;
  g.x_hat = x.data();
  g.nv = nv.data();
  g.x_column_offset = offset;
  g.x_stream_stride = 16;
  g.ant_stride = 2 * 16;
  SubcarrierBatchDetector detector(DetectorKind::lmmse, 2, 2, 16);

  g.ls = ls.data();
  EXPECT_THROW(detector.detect(g), std::invalid_argument);  // no tables
  g.interpolation = estimator.frequency_interpolation();
  g.interpolation.source1 = nullptr;
  EXPECT_THROW(detector.detect(g), std::invalid_argument);  // a table missing
  g.interpolation = estimator.frequency_interpolation();
  g.h = h.data();
  EXPECT_THROW(detector.detect(g), std::invalid_argument);  // both sources
  g.h = nullptr;
  EXPECT_NO_THROW(detector.detect(g));
}

}  // namespace
