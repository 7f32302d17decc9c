// MRC, ZF and LMMSE detectors against their definitions (computed independently in double with Eigen)
// and the properties DESIGN §3 promises: ZF exact without noise, LMMSE SINR >= ZF SNR, LMMSE -> ZF.
#include "sixg/phy/detection/detector.h"

#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>
#include <limits>
#include <vector>

#include "sixg/phy/random/random_stream.h"

using namespace sixg::phy;

namespace {

using MatrixXcd = Eigen::MatrixXcd;
using cd = std::complex<double>;
constexpr double kFloatEps = 5.96e-8;  // 2^-24, float's unit roundoff

Eigen::MatrixXcf random_matrix(RandomStream& rng, int rows, int cols, float variance = 1.0f) {
  Eigen::MatrixXcf m(rows, cols);
  rng.fill_complex_normal(std::span<cf32>(m.data(), static_cast<std::size_t>(m.size())), variance);
  return m;
}

Eigen::MatrixXcf random_qpsk(RandomStream& rng, int rows, int cols) {
  Eigen::MatrixXcf x(rows, cols);
  const float a = 1.0f / std::sqrt(2.0f);
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const std::uint32_t bits = rng.next_u32();
    x.data()[i] = cf32((bits & 1u) != 0 ? -a : a, (bits & 2u) != 0 ? -a : a);
  }
  return x;
}

/// A x S channel with prescribed singular values (log-spaced from 1 down to 1/condition): U Σ Vᴴ with
/// U, V from the QR decomposition of Gaussian matrices.
Eigen::MatrixXcf channel_with_condition(RandomStream& rng, int rows, int cols, double condition) {
  const MatrixXcd a = random_matrix(rng, rows, rows).cast<cd>(), b = random_matrix(rng, cols, cols).cast<cd>();
  const MatrixXcd u = Eigen::HouseholderQR<MatrixXcd>(a).householderQ();
  const MatrixXcd v = Eigen::HouseholderQR<MatrixXcd>(b).householderQ();
  MatrixXcd sigma = MatrixXcd::Zero(rows, cols);
  for (int k = 0; k < cols; ++k) sigma(k, k) = std::pow(condition, -static_cast<double>(k) / (cols - 1));
  return (u * sigma * v.adjoint()).cast<cf32>();
}

double condition_number(const Eigen::MatrixXcf& h) {
  Eigen::JacobiSVD<MatrixXcd> svd(h.cast<cd>());
  return svd.singularValues()(0) / svd.singularValues()(svd.singularValues().size() - 1);
}

/// y = H x rounded once to float (the product itself in double).
Eigen::MatrixXcf noiseless(const Eigen::MatrixXcf& h, const Eigen::MatrixXcf& x) {
  return (h.cast<cd>() * x.cast<cd>()).cast<cf32>();
}

struct Output {
  Eigen::MatrixXcf x_hat;
  std::vector<float> post;
};

Output run(Detector& d, const Eigen::MatrixXcf& h, float n0, const Eigen::MatrixXcf& y,
           std::span<const float> err_var = {}) {
  Output out{Eigen::MatrixXcf(h.cols(), y.cols()), std::vector<float>(static_cast<std::size_t>(h.cols()))};
  d.detect(h, n0, err_var, y, column_major_view(out.x_hat.data(), out.x_hat.rows(), out.x_hat.cols()), out.post);
  return out;
}

}  // namespace

TEST(DetectorFactory, BuildsEachKindAndRejectsZfWithFewerAntennasThanStreams) {
  for (auto kind : {DetectorKind::mrc, DetectorKind::zf, DetectorKind::lmmse}) {
    const auto d = make_detector(kind, 4, 4);
    EXPECT_EQ(d->kind(), kind);
    EXPECT_EQ(d->num_rx_ant(), 4);
    EXPECT_EQ(d->num_streams(), 4);
  }
  try {
    make_detector(DetectorKind::zf, 3, 4);
    FAIL() << "no exception";
  } catch (const invalid_config& e) {
    EXPECT_EQ(e.option(), "--num-bs-ant");
    EXPECT_NE(std::string(e.what()).find("zf needs at least as many BS antennas as streams"), std::string::npos);
  }
  EXPECT_NO_THROW(make_detector(DetectorKind::lmmse, 3, 4));  // LMMSE and MRC work with N < S
  EXPECT_NO_THROW(make_detector(DetectorKind::mrc, 3, 4));
}

TEST(ZfDetector, ReturnsTheTransmittedSymbolsOnANoiselessChannelToFloatPrecision) {
  RandomStream rng(1, 0, 0, RandomPurpose::test);
  for (auto [rows, cols] : {std::pair{32, 16}, std::pair{16, 16}, std::pair{4, 2}, std::pair{1, 1}}) {
    const auto zf = make_detector(DetectorKind::zf, rows, cols);
    for (int trial = 0; trial < 50; ++trial) {
      const auto h = random_matrix(rng, rows, cols);
      const auto x = random_qpsk(rng, cols, 7);
      const auto out = run(*zf, h, 0.0f, noiseless(h, x));
      // A backward-stable solve moves x by at most a small multiple of cond(H) · eps (inputs in float).
      const double bound = 4.0 * condition_number(h) * kFloatEps;
      EXPECT_LE((out.x_hat - x).cwiseAbs().maxCoeff(), bound) << rows << "x" << cols << " trial " << trial;
      for (float v : out.post) EXPECT_EQ(v, 0.0f);
    }
  }
}

TEST(ZfDetector, KeepsFloatPrecisionOnIllConditionedChannels) {
  // cond(H) = 1e3 (a 60 dB spread of stream gains): solving the normal equations in float would lose
  // cond² · eps ~ 6e-2; the double-precision Gram path must stay at cond · eps.
  RandomStream rng(2, 0, 0, RandomPurpose::test);
  for (auto [rows, cols] : {std::pair{16, 16}, std::pair{32, 16}}) {
    const auto zf = make_detector(DetectorKind::zf, rows, cols);
    for (int trial = 0; trial < 20; ++trial) {
      const auto h = channel_with_condition(rng, rows, cols, 1e3);
      const auto x = random_qpsk(rng, cols, 3);
      const auto out = run(*zf, h, 0.0f, noiseless(h, x));
      EXPECT_LE((out.x_hat - x).cwiseAbs().maxCoeff(), 4.0 * condition_number(h) * kFloatEps);
    }
  }
}

TEST(ZfDetector, MatchesTheDefinitionWithNoise) {
  RandomStream rng(3, 0, 0, RandomPurpose::test);
  const auto zf = make_detector(DetectorKind::zf, 8, 5);
  const float n0 = 0.2f;
  for (int trial = 0; trial < 20; ++trial) {
    const auto h = random_matrix(rng, 8, 5);
    const auto y = random_matrix(rng, 8, 3);
    const MatrixXcd hd = h.cast<cd>();
    const MatrixXcd gram_inverse = (hd.adjoint() * hd).inverse();
    const MatrixXcd expected = gram_inverse * hd.adjoint() * y.cast<cd>();
    const auto out = run(*zf, h, n0, y);
    EXPECT_LT((out.x_hat.cast<cd>() - expected).cwiseAbs().maxCoeff(), 1e-5 * (1 + expected.cwiseAbs().maxCoeff()));
    for (int k = 0; k < 5; ++k) {
      EXPECT_NEAR(out.post[static_cast<std::size_t>(k)], n0 * gram_inverse(k, k).real(),
                  1e-5 * n0 * gram_inverse(k, k).real());
    }
  }
}

TEST(LmmseDetector, MatchesTheUnbiasedLmmseDefinition) {
  RandomStream rng(4, 0, 0, RandomPurpose::test);
  for (auto [rows, cols] : {std::pair{8, 5}, std::pair{3, 4}, std::pair{32, 16}}) {
    const auto lmmse = make_detector(DetectorKind::lmmse, rows, cols);
    for (float n0 : {0.01f, 0.5f, 4.0f}) {
      const auto h = random_matrix(rng, rows, cols);
      const auto y = random_matrix(rng, rows, 4);
      const MatrixXcd hd = h.cast<cd>();
      const MatrixXcd w = (hd.adjoint() * hd + n0 * MatrixXcd::Identity(cols, cols)).inverse() * hd.adjoint();
      const MatrixXcd wh = w * hd;
      MatrixXcd expected = w * y.cast<cd>();
      const MatrixXcd a = (MatrixXcd::Identity(cols, cols) + hd.adjoint() * hd / static_cast<double>(n0)).inverse();
      const auto out = run(*lmmse, h, n0, y);
      for (int k = 0; k < cols; ++k) {
        const double d = wh(k, k).real();
        expected.row(k) /= d;
        const double sinr = 1.0 / a(k, k).real() - 1.0;  // DESIGN §3
        EXPECT_NEAR(sinr, d / (1 - d), 1e-9 * sinr);      // the two forms agree (test self-check)
        EXPECT_NEAR(1.0 / out.post[static_cast<std::size_t>(k)], sinr, 1e-5 * sinr) << rows << "x" << cols;
      }
      EXPECT_LT((out.x_hat.cast<cd>() - expected).cwiseAbs().maxCoeff(), 1e-5 * (1 + expected.cwiseAbs().maxCoeff()));
    }
  }
}

TEST(LmmseDetector, SinrIsNeverBelowTheZfSnrOfTheSameChannel) {
  RandomStream rng(5, 0, 0, RandomPurpose::test);
  for (auto [rows, cols] : {std::pair{32, 16}, std::pair{16, 16}, std::pair{4, 2}}) {
    const auto lmmse = make_detector(DetectorKind::lmmse, rows, cols);
    const auto zf = make_detector(DetectorKind::zf, rows, cols);
    const Eigen::MatrixXcf y = Eigen::MatrixXcf::Zero(rows, 1);
    for (int trial = 0; trial < 300; ++trial) {
      const float n0 = std::pow(10.0f, -3.0f + 5.0f * static_cast<float>(trial % 10) / 9.0f);  // 1e-3 .. 1e2
      const auto h = random_matrix(rng, rows, cols);
      const auto a = run(*lmmse, h, n0, y), b = run(*zf, h, n0, y);
      for (int k = 0; k < cols; ++k) {
        // SINR_lmmse = SNR_zf·(1 + ...) ≥ SNR_zf; allow float rounding of the two outputs.
        EXPECT_GE(1.0 / a.post[static_cast<std::size_t>(k)], (1.0 - 1e-5) / b.post[static_cast<std::size_t>(k)])
            << rows << "x" << cols << " n0 " << n0;
      }
    }
  }
}

TEST(LmmseDetector, TendsToZfAsTheNoiseVanishes) {
  RandomStream rng(6, 0, 0, RandomPurpose::test);
  const auto lmmse = make_detector(DetectorKind::lmmse, 16, 8);
  const auto zf = make_detector(DetectorKind::zf, 16, 8);
  const auto h = random_matrix(rng, 16, 8);
  const auto y = random_matrix(rng, 16, 5);
  double previous = std::numeric_limits<double>::infinity();
  for (float n0 : {1e-1f, 1e-2f, 1e-3f, 1e-4f, 1e-5f}) {
    const auto a = run(*lmmse, h, n0, y), b = run(*zf, h, n0, y);
    const double gap = (a.x_hat - b.x_hat).cwiseAbs().maxCoeff();
    EXPECT_LT(gap, previous);
    previous = gap;
    for (int k = 0; k < 8; ++k) {
      // post_lmmse = post_zf / (1 + post_zf) (one stream's view), so the ratio -> 1 like N0.
      const double ratio = a.post[static_cast<std::size_t>(k)] / b.post[static_cast<std::size_t>(k)];
      EXPECT_LT(ratio, 1.0 + 1e-6);
      EXPECT_GT(ratio, 1.0 - 50.0 * n0);
    }
  }
  EXPECT_LT(previous, 1e-3);
  // Exactly noiseless and perfect CSI: LMMSE is ZF.
  const auto x = random_qpsk(rng, 8, 2);
  EXPECT_LT((run(*lmmse, h, 0.0f, noiseless(h, x)).x_hat - x).cwiseAbs().maxCoeff(), 1e-5);
}

TEST(MrcDetector, OneStreamGivesTheMaximalRatioSnr) {
  RandomStream rng(7, 0, 0, RandomPurpose::test);
  const auto mrc = make_detector(DetectorKind::mrc, 6, 1);
  const float n0 = 0.25f;
  for (int trial = 0; trial < 20; ++trial) {
    const auto h = random_matrix(rng, 6, 1);
    const auto y = random_matrix(rng, 6, 2);
    const auto out = run(*mrc, h, n0, y);
    const double gain = h.squaredNorm();
    EXPECT_NEAR(out.post[0], n0 / gain, 1e-6 * n0 / gain);  // SNR = ‖h‖²/N0
    const Eigen::MatrixXcf expected = h.adjoint() * y / static_cast<float>(gain);
    EXPECT_LT((out.x_hat - expected).cwiseAbs().maxCoeff(), 1e-5);
  }
}

TEST(MrcDetector, CountsTheOtherStreamsAsInterference) {
  RandomStream rng(8, 0, 0, RandomPurpose::test);
  const auto mrc = make_detector(DetectorKind::mrc, 8, 3);
  const float n0 = 0.1f;
  const auto h = random_matrix(rng, 8, 3);
  const auto out = run(*mrc, h, n0, Eigen::MatrixXcf::Zero(8, 1));
  const MatrixXcd g = h.cast<cd>().adjoint() * h.cast<cd>();
  for (int k = 0; k < 3; ++k) {
    double interference = 0;
    for (int j = 0; j < 3; ++j) interference += j == k ? 0.0 : std::norm(g(k, j));
    const double sinr = std::norm(g(k, k)) / (interference + n0 * g(k, k).real());
    EXPECT_NEAR(1.0 / out.post[static_cast<std::size_t>(k)], sinr, 1e-5 * sinr);
  }
}

TEST(Detectors, EstimationErrorActsAsExtraNoiseOfItsTotalVariance) {
  RandomStream rng(9, 0, 0, RandomPurpose::test);
  const auto h = random_matrix(rng, 8, 4);
  const auto y = random_matrix(rng, 8, 3);
  const std::vector<float> err_var{0.01f, 0.02f, 0.03f, 0.04f};
  EXPECT_FLOAT_EQ(effective_noise(0.1f, err_var), 0.2f);
  for (auto kind : {DetectorKind::mrc, DetectorKind::zf, DetectorKind::lmmse}) {
    const auto d = make_detector(kind, 8, 4);
    const auto with_error = run(*d, h, 0.1f, y, err_var);
    const auto more_noise = run(*d, h, effective_noise(0.1f, err_var), y);
    EXPECT_EQ(with_error.x_hat, more_noise.x_hat);
    EXPECT_EQ(with_error.post, more_noise.post);
  }
}

TEST(Detectors, AnyNumberOfColumnsGivesTheSameColumnsAsOneAtATime) {
  RandomStream rng(10, 0, 0, RandomPurpose::test);
  const auto h = random_matrix(rng, 6, 4);
  const auto y = random_matrix(rng, 6, 23);
  for (auto kind : {DetectorKind::mrc, DetectorKind::zf, DetectorKind::lmmse}) {
    const auto d = make_detector(kind, 6, 4);
    const auto all = run(*d, h, 0.3f, y);
    for (int l = 0; l < y.cols(); ++l) {
      const auto one = run(*d, h, 0.3f, y.col(l));
      EXPECT_EQ(one.x_hat.col(0), all.x_hat.col(l));  // bit-identical: results must not depend on L
      EXPECT_EQ(one.post, all.post);
    }
    EXPECT_NO_THROW(run(*d, h, 0.3f, Eigen::MatrixXcf(6, 0)));
  }
}

TEST(Detectors, ReadAndWriteStridedViews) {
  // y of data symbols i..i+L-1 at subcarrier k inside an [A, N_data] array, x̂ into [S, N_data].
  RandomStream rng(11, 0, 0, RandomPurpose::test);
  const int antennas = 4, streams = 3, fft = 10, symbols = 5, nd = fft * symbols, k = 7, first = 1, count = 3;
  const auto h = random_matrix(rng, antennas, streams);
  const auto data = random_matrix(rng, antennas, nd);  // row-major [A, N_data] in a column-major store
  std::vector<cf32> y_rows(static_cast<std::size_t>(antennas * nd));
  Eigen::MatrixXcf y_dense(antennas, count);
  for (int a = 0; a < antennas; ++a) {
    for (int i = 0; i < nd; ++i) y_rows[static_cast<std::size_t>(a * nd + i)] = data(a, i);
    for (int c = 0; c < count; ++c) y_dense(a, c) = data(a, (first + c) * fft + k);
  }
  std::vector<cf32> x_rows(static_cast<std::size_t>(streams * nd));
  std::vector<float> post(streams);
  const auto d = make_detector(DetectorKind::lmmse, antennas, streams);
  d->detect(h, 0.2f, {}, matrix_view(y_rows.data() + first * fft + k, antennas, count, nd, fft),
            matrix_view(x_rows.data() + first * fft + k, streams, count, nd, fft), post);
  const auto dense = run(*d, h, 0.2f, y_dense);
  for (int s = 0; s < streams; ++s) {
    for (int i = 0; i < nd; ++i) {
      const bool written = i % fft == k && i / fft >= first && i / fft < first + count;
      const cf32 got = x_rows[static_cast<std::size_t>(s * nd + i)];
      if (written) {
        EXPECT_EQ(got, dense.x_hat(s, i / fft - first));
      } else {
        EXPECT_EQ(got, cf32{});
      }
    }
  }
}

TEST(Detectors, DegenerateChannelsGiveFiniteEstimatesAndNoInformation) {
  // A silent stream (zero column) and two identical columns: no NaN anywhere, the silent stream gets
  // x̂ = 0 and infinite post-detection noise, the others stay usable.
  RandomStream rng(12, 0, 0, RandomPurpose::test);
  auto h = random_matrix(rng, 6, 4);
  h.col(1).setZero();
  h.col(3) = h.col(2);
  const auto y = random_matrix(rng, 6, 2);
  for (auto kind : {DetectorKind::mrc, DetectorKind::zf, DetectorKind::lmmse}) {
    const auto d = make_detector(kind, 6, 4);
    const auto out = run(*d, h, 0.1f, y);
    EXPECT_TRUE(out.x_hat.allFinite());
    EXPECT_EQ(out.x_hat.row(1).cwiseAbs().maxCoeff(), 0.0f);
    EXPECT_EQ(out.post[1], std::numeric_limits<float>::infinity());
    EXPECT_TRUE(std::isfinite(out.post[0]));
    EXPECT_GT(out.post[0], 0.0f);
    EXPECT_FALSE(std::isnan(out.post[2]));
  }
}

TEST(Detectors, RejectMismatchedShapes) {
  const auto d = make_detector(DetectorKind::lmmse, 4, 2);
  const Eigen::MatrixXcf h = Eigen::MatrixXcf::Ones(4, 2), y = Eigen::MatrixXcf::Ones(4, 3);
  Eigen::MatrixXcf x(2, 3);
  std::vector<float> post(2);
  std::vector<float> wrong_err(3);
  EXPECT_NO_THROW(d->detect(h, 0.1f, {}, y, column_major_view(x.data(), 2, 3), post));
  EXPECT_THROW(d->detect(h, 0.1f, wrong_err, y, column_major_view(x.data(), 2, 3), post), std::invalid_argument);
  EXPECT_THROW(d->detect(h, 0.1f, {}, y, column_major_view(x.data(), 2, 2), post), std::invalid_argument);
  EXPECT_THROW(d->detect(h.leftCols(1), 0.1f, {}, y, column_major_view(x.data(), 2, 3), post), std::invalid_argument);
}
