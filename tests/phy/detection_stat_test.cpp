// Detectors, Monte-Carlo against theory (fixed seeds):
//  - on a fixed channel, x̂_k - x_k has mean 0, is uncorrelated with x_k (unbiased output) and has the
//    variance post_noise_var_k the detector reports: with perfect CSI, and with an imperfect estimate
//    Ĥ whose error H - Ĥ has the per-stream variance passed as err_var;
//  - over i.i.d. Rayleigh channels the per-stream ZF SNR is (1/N0)·Gamma(Nr - Nt + 1) and the MRC SNR
//    of one stream (1/N0)·Gamma(Nr) (REFERENCES.md).
// Tolerances: z standard errors of the sample mean, z the Bonferroni quantile for the file's
// comparisons at a family-wise false-alarm rate of 1e-3.
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cmath>
#include <vector>

#include "sixg/phy/detection/detector.h"
#include "sixg/phy/random/random_stream.h"
#include "support/confidence.h"

using namespace sixg::phy;

namespace {

const double kZ = sixg::test::bonferroni_z(1e-3, 300);

struct Moments {
  double n = 0, sum = 0, squares = 0;
  void add(double x) {
    ++n;
    sum += x;
    squares += x * x;
  }
  [[nodiscard]] double mean() const { return sum / n; }
  [[nodiscard]] double standard_error() const { return std::sqrt((squares / n - mean() * mean()) / (n - 1)); }
};

::testing::AssertionResult near(const Moments& m, double expected, const std::string& what) {
  if (std::abs(m.mean() - expected) <= kZ * m.standard_error()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << what << ": measured " << m.mean() << " +- " << m.standard_error()
                                       << ", expected " << expected << ", z " << kZ;
}

Eigen::MatrixXcf random_matrix(RandomStream& rng, int rows, int cols) {
  Eigen::MatrixXcf m(rows, cols);
  rng.fill_complex_normal(std::span<cf32>(m.data(), static_cast<std::size_t>(m.size())));
  return m;
}

/// Checks the error statistics of one detector on a fixed estimate Ĥ (true H = Ĥ + E per vector).
void check_error_statistics(DetectorKind kind, int antennas, int streams, const std::vector<float>& err_var,
                            std::uint64_t seed) {
  const int vectors = 40000;
  const float n0 = 0.2f;
  RandomStream rng(seed, 0, 0, RandomPurpose::channel);
  const Eigen::MatrixXcf h_hat = random_matrix(rng, antennas, streams);
  // QPSK (|x|² = 1 exactly, so E x has covariance sum_s err_var_s I, as the detector assumes).
  Eigen::MatrixXcf x(streams, vectors), y(antennas, vectors);
  RandomStream data(seed, 0, 1, RandomPurpose::info_bits), noise(seed, 0, 1, RandomPurpose::noise);
  const float a = 1.0f / std::sqrt(2.0f);
  Eigen::MatrixXcf error(antennas, streams);
  Eigen::VectorXcf n(antennas);
  for (int v = 0; v < vectors; ++v) {
    for (int s = 0; s < streams; ++s) {
      const std::uint32_t bits = data.next_u32();
      x(s, v) = cf32((bits & 1u) != 0 ? -a : a, (bits & 2u) != 0 ? -a : a);
    }
    for (int s = 0; s < streams; ++s) {
      const float variance = err_var.empty() ? 0.0f : err_var[static_cast<std::size_t>(s)];
      noise.fill_complex_normal(std::span<cf32>(error.col(s).data(), static_cast<std::size_t>(antennas)), variance);
    }
    noise.fill_complex_normal(std::span<cf32>(n.data(), static_cast<std::size_t>(antennas)), n0);
    y.col(v) = (h_hat + error) * x.col(v) + n;
  }
  const auto detector = make_detector(kind, antennas, streams);
  Eigen::MatrixXcf x_hat(streams, vectors);
  std::vector<float> post(static_cast<std::size_t>(streams));
  detector->detect(h_hat, n0, err_var, y, column_major_view(x_hat.data(), streams, vectors), post);
  for (int s = 0; s < streams; ++s) {
    Moments power, mean_re, correlation_re, correlation_im;
    for (int v = 0; v < vectors; ++v) {
      const cf32 e = x_hat(s, v) - x(s, v);
      power.add(std::norm(e));
      mean_re.add(e.real());
      const cf32 c = e * std::conj(x(s, v));  // a biased output would leave (d_k - 1) here
      correlation_re.add(c.real());
      correlation_im.add(c.imag());
    }
    const std::string what = "kind " + std::to_string(static_cast<int>(kind)) + " stream " + std::to_string(s);
    EXPECT_TRUE(near(power, post[static_cast<std::size_t>(s)], what + " error variance"));
    EXPECT_TRUE(near(mean_re, 0.0, what + " mean"));
    EXPECT_TRUE(near(correlation_re, 0.0, what + " correlation with x (real)"));
    EXPECT_TRUE(near(correlation_im, 0.0, what + " correlation with x (imag)"));
  }
}

}  // namespace

TEST(DetectionStat, PostNoiseVarianceIsTheErrorVarianceWithPerfectCsi) {
  for (auto kind : {DetectorKind::mrc, DetectorKind::zf, DetectorKind::lmmse}) {
    check_error_statistics(kind, 8, 4, {}, 1);
  }
  check_error_statistics(DetectorKind::lmmse, 3, 4, {}, 2);  // fewer antennas than streams
}

TEST(DetectionStat, PostNoiseVarianceIncludesTheEstimationError) {
  const std::vector<float> err_var{0.02f, 0.05f, 0.01f, 0.1f};
  for (auto kind : {DetectorKind::mrc, DetectorKind::zf, DetectorKind::lmmse}) {
    check_error_statistics(kind, 8, 4, err_var, 3);
  }
}

TEST(DetectionStat, ZfAndSingleStreamMrcSnrsFollowTheirGammaLaws) {
  const int antennas = 8, streams = 3, trials = 20000;
  const float n0 = 0.5f;
  RandomStream rng(4, 0, 0, RandomPurpose::channel);
  const auto zf = make_detector(DetectorKind::zf, antennas, streams);
  const auto mrc = make_detector(DetectorKind::mrc, antennas, 1);
  const Eigen::MatrixXcf y = Eigen::MatrixXcf::Zero(antennas, 1);
  Eigen::MatrixXcf x_hat(streams, 1);
  std::vector<float> post(streams), post_mrc(1);
  Moments zf_gain, zf_gain_squared, mrc_gain;
  for (int t = 0; t < trials; ++t) {
    const auto h = random_matrix(rng, antennas, streams);
    zf->detect(h, n0, {}, y, column_major_view(x_hat.data(), streams, 1), post);
    mrc->detect(h.leftCols(1), n0, {}, y, column_major_view(x_hat.data(), 1, 1), post_mrc);
    const double g = n0 / post[0];  // SNR · N0 of stream 0 ~ Gamma(Nr - Nt + 1, 1)
    zf_gain.add(g);
    zf_gain_squared.add(g * g);
    mrc_gain.add(n0 / post_mrc[0]);  // ~ Gamma(Nr, 1)
  }
  const double shape = antennas - streams + 1;
  EXPECT_TRUE(near(zf_gain, shape, "ZF SNR x N0 mean"));
  EXPECT_TRUE(near(zf_gain_squared, shape * (shape + 1), "ZF SNR x N0 second moment"));
  EXPECT_TRUE(near(mrc_gain, antennas, "MRC SNR x N0 mean"));
}
