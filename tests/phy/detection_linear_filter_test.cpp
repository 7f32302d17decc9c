// LinearFilter: W reproduces the per-subcarrier Detector on every column within float tolerance, has
// the defining properties (ZF: W H = I; LMMSE: unbiased diag(W H) = 1), and apply() gives each column
// the same bits wherever it sits in Y (position, block tail, row stride, buffer offset).
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "sixg/phy/detection/linear_filter.h"
#include "sixg/phy/random/random_stream.h"

using namespace sixg::phy;

namespace {

using RowMajorXcf = Eigen::Matrix<cf32, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
constexpr double kFloatEps = 5.96e-8;

Eigen::MatrixXcf random_matrix(RandomStream& rng, int rows, int cols) {
  Eigen::MatrixXcf m(rows, cols);
  rng.fill_complex_normal(std::span<cf32>(m.data(), static_cast<std::size_t>(m.size())));
  return m;
}

}  // namespace

TEST(LinearFilter, AppliesTheDetectorsFilterToEveryColumn) {
  const int antennas = 32, streams = 16, columns = 37;  // not a multiple of the 8-column block
  const std::ptrdiff_t y_stride = 41, x_stride = 39;    // rows padded beyond the columns
  RandomStream rng(11, 0, 0, RandomPurpose::test);
  const Eigen::MatrixXcf h = random_matrix(rng, antennas, streams);
  const Eigen::MatrixXcf y = random_matrix(rng, antennas, columns);
  std::vector<cf32> y_rows(static_cast<std::size_t>(antennas * y_stride));
  for (int a = 0; a < antennas; ++a) {
    for (int n = 0; n < columns; ++n) y_rows[static_cast<std::size_t>(a * y_stride + n)] = y(a, n);
  }
  const std::vector<float> err(streams, 0.01f);
  for (const DetectorKind kind : {DetectorKind::mrc, DetectorKind::zf, DetectorKind::lmmse}) {
    LinearFilter filter(kind, antennas, streams);
    filter.design(h, 0.05f, err);
    std::vector<cf32> x(static_cast<std::size_t>(streams * x_stride), cf32(-9.0f, -9.0f));
    filter.apply(y_rows.data(), y_stride, columns, x.data(), x_stride);

    const auto detector = make_detector(kind, antennas, streams);
    Eigen::MatrixXcf want(streams, columns);
    std::vector<float> nv(streams);
    detector->detect(h, 0.05f, err, y, column_major_view(want.data(), streams, columns), nv);
    for (int s = 0; s < streams; ++s) {
      EXPECT_EQ(filter.post_noise_var()[static_cast<std::size_t>(s)], nv[static_cast<std::size_t>(s)]);
      // W rounded to float plus a 32-term float sum: a few ulps of sum_r |W_sr| |y_r|.
      for (int n = 0; n < columns; ++n) {
        double magnitude = 0.0;
        for (int a = 0; a < antennas; ++a) {
          magnitude += std::abs(filter.weights()[static_cast<std::size_t>(s * antennas + a)]) * std::abs(y(a, n));
        }
        EXPECT_LE(std::abs(x[static_cast<std::size_t>(s * x_stride + n)] - want(s, n)), 8 * kFloatEps * magnitude)
            << "kind " << static_cast<int>(kind) << " s " << s << " n " << n;
      }
      // Padding beyond the columns is left alone.
      EXPECT_EQ(x[static_cast<std::size_t>(s * x_stride + columns)], cf32(-9.0f, -9.0f));
    }
  }
}

TEST(LinearFilter, ZfInvertsTheChannelAndLmmseIsUnbiased) {
  const int antennas = 8, streams = 4;
  RandomStream rng(12, 0, 0, RandomPurpose::test);
  const Eigen::MatrixXcf h = random_matrix(rng, antennas, streams);
  for (const DetectorKind kind : {DetectorKind::zf, DetectorKind::lmmse}) {
    LinearFilter filter(kind, antennas, streams);
    filter.design(h, 0.2f, {});
    const Eigen::Map<const RowMajorXcf> w(filter.weights().data(), streams, antennas);
    const Eigen::MatrixXcd wh = w.cast<std::complex<double>>() * h.cast<std::complex<double>>();
    for (int i = 0; i < streams; ++i) {
      EXPECT_NEAR(std::abs(wh(i, i) - 1.0), 0.0, 1e-5) << "kind " << static_cast<int>(kind);
      if (kind == DetectorKind::zf) {
        for (int j = 0; j < streams; ++j) {
          if (j != i) {
            EXPECT_NEAR(std::abs(wh(i, j)), 0.0, 1e-5);
          }
        }
      }
    }
  }
}

TEST(LinearFilter, AColumnsBitsDoNotDependOnItsPositionOrTheBufferOffset) {
  const int antennas = 6, streams = 5, columns = 70;  // two whole 32-column panels and a partial one
  RandomStream rng(13, 0, 0, RandomPurpose::test);
  LinearFilter filter(DetectorKind::lmmse, antennas, streams);
  filter.design(random_matrix(rng, antennas, streams), 0.1f, {});
  const Eigen::MatrixXcf y = random_matrix(rng, antennas, columns);
  // Whole: Y as rows of `columns`; shifted: the same columns starting 3 columns (24 bytes) later.
  std::vector<cf32> whole(static_cast<std::size_t>(antennas * columns)),
      shifted(static_cast<std::size_t>(antennas * (columns + 3)));
  for (int a = 0; a < antennas; ++a) {
    for (int n = 0; n < columns; ++n) {
      whole[static_cast<std::size_t>(a * columns + n)] = y(a, n);
      shifted[static_cast<std::size_t>(a * (columns + 3) + n + 3)] = y(a, n);
    }
  }
  std::vector<cf32> x_whole(static_cast<std::size_t>(streams * columns));
  std::vector<cf32> x_shifted(static_cast<std::size_t>(streams * (columns + 3)));
  filter.apply(whole.data(), columns, columns, x_whole.data(), columns);
  filter.apply(shifted.data() + 3, columns + 3, columns, x_shifted.data() + 3, columns + 3);
  // And column by column (every column alone in a partial block).
  std::vector<cf32> x_single(static_cast<std::size_t>(streams));
  for (int n = 0; n < columns; ++n) {
    filter.apply(whole.data() + n, columns, 1, x_single.data(), 1);
    for (int s = 0; s < streams; ++s) {
      const cf32 a = x_whole[static_cast<std::size_t>(s * columns + n)];
      const cf32 b = x_shifted[static_cast<std::size_t>(s * (columns + 3) + n + 3)];
      const cf32 c = x_single[static_cast<std::size_t>(s)];
      EXPECT_EQ(std::memcmp(&a, &b, sizeof a), 0) << "s " << s << " n " << n;
      EXPECT_EQ(std::memcmp(&a, &c, sizeof a), 0) << "s " << s << " n " << n;
    }
  }
}

TEST(LinearFilter, AnInvisibleStreamGetsAZeroRowAndInfiniteNoise) {
  const int antennas = 4, streams = 3;
  RandomStream rng(14, 0, 0, RandomPurpose::test);
  Eigen::MatrixXcf h = random_matrix(rng, antennas, streams);
  h.col(1).setZero();
  for (const DetectorKind kind : {DetectorKind::mrc, DetectorKind::zf, DetectorKind::lmmse}) {
    LinearFilter filter(kind, antennas, streams);
    filter.design(h, 0.1f, {});
    EXPECT_EQ(filter.post_noise_var()[1], std::numeric_limits<float>::infinity());
    for (int a = 0; a < antennas; ++a)
      EXPECT_EQ(filter.weights()[static_cast<std::size_t>(antennas + a)], cf32(0.0f, 0.0f));
  }
}
