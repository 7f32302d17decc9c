// SubcarrierBatchDetector against the per-subcarrier Detector it batches (same semantics to float
// tolerance), against a double reference on ill-conditioned channels (its documented precision), and the
// batching invariants: a subcarrier's output bits do not depend on its position, the lane count, the
// buffer offset, or on a neighbour's non-finite input.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <vector>

#include "sixg/phy/detection/subcarrier_batch_detector.h"
#include "sixg/phy/random/random_stream.h"

using namespace sixg::phy;

namespace {

using MatrixXcd = Eigen::MatrixXcd;
using cd = std::complex<double>;
constexpr double kFloatEps = 5.96e-8;  // 2^-24
constexpr float kInf = std::numeric_limits<float>::infinity();

/// One channel group in the pipeline's layouts: LS estimate h [A, S, P, F], err [S, P, F], rx grid
/// y [A, L, F], outputs [S, C, F]; the group's columns are rx symbols `symbols`.
struct Problem {
  int antennas, streams, fft, pilots = 2, symbols_total = 5;
  std::vector<cf32> h;
  std::vector<float> err;
  std::vector<cf32> y;
  std::vector<std::ptrdiff_t> y_offset, x_offset;
  int num_terms = 1;
  std::ptrdiff_t term[2] = {0, 0};
  float weight[2] = {1.0f, 0.0f};
  bool with_err = true;
  float n0 = 0.1f;

  Problem(int a, int s, int f, int columns, RandomStream& rng) : antennas(a), streams(s), fft(f) {
    h.resize(static_cast<std::size_t>(a * s * pilots * f));
    rng.fill_complex_normal(h);
    err.resize(static_cast<std::size_t>(s * pilots * f));
    for (float& e : err) e = 0.02f * (1.0f + static_cast<float>(rng.next_u32() % 100) / 100.0f);
    y.resize(static_cast<std::size_t>(a * symbols_total * f));
    rng.fill_complex_normal(y);
    for (int c = 0; c < columns; ++c) {
      // Unevenly spaced symbols, as data symbols around a pilot.
      y_offset.push_back(static_cast<std::ptrdiff_t>((c * 3 + 1) % symbols_total) * f);
      x_offset.push_back(static_cast<std::ptrdiff_t>(c) * f);
    }
  }
  void use_two_terms() {
    num_terms = 2;
    term[1] = fft;  // pilot symbol 1
    weight[0] = 0.375f;
    weight[1] = 0.625f;
  }
  [[nodiscard]] int columns() const { return static_cast<int>(y_offset.size()); }
  [[nodiscard]] std::size_t x_size() const { return static_cast<std::size_t>(streams * columns() * fft); }

  [[nodiscard]] ChannelGroupView view(std::vector<cf32>& x, std::vector<float>& nv) const {
    ChannelGroupView g;
    g.h = h.data();
    g.ant_stride = static_cast<std::ptrdiff_t>(streams) * pilots * fft;
    g.stream_stride = static_cast<std::ptrdiff_t>(pilots) * fft;
    g.num_terms = num_terms;
    g.term_offset[0] = term[0];
    g.term_offset[1] = term[1];
    g.weight[0] = weight[0];
    g.weight[1] = weight[1];
    g.err = with_err ? err.data() : nullptr;
    g.err_stream_stride = static_cast<std::ptrdiff_t>(pilots) * fft;
    g.err_term_offset[0] = term[0];
    g.err_term_offset[1] = term[1];
    g.n0 = n0;
    g.y = y.data();
    g.y_ant_stride = static_cast<std::ptrdiff_t>(symbols_total) * fft;
    g.y_column_offset = y_offset;
    g.x_hat = x.data();
    g.nv = nv.data();
    g.x_stream_stride = static_cast<std::ptrdiff_t>(columns()) * fft;
    g.x_column_offset = x_offset;
    return g;
  }

  /// H at subcarrier k, rounded as LsChannelEstimator::channel_at rounds it.
  [[nodiscard]] Eigen::MatrixXcf channel(int k) const {
    Eigen::MatrixXcf m(antennas, streams);
    for (int a = 0; a < antennas; ++a) {
      for (int s = 0; s < streams; ++s) {
        const std::size_t base = static_cast<std::size_t>((a * streams + s) * pilots * fft + k);
        cf32 v = weight[0] * h[base + static_cast<std::size_t>(term[0])];
        if (num_terms == 2) v += weight[1] * h[base + static_cast<std::size_t>(term[1])];
        m(a, s) = v;
      }
    }
    return m;
  }
  [[nodiscard]] std::vector<float> err_var(int k) const {
    std::vector<float> e(static_cast<std::size_t>(streams), 0.0f);
    if (!with_err) return e;
    for (int s = 0; s < streams; ++s) {
      const std::size_t base = static_cast<std::size_t>(s * pilots * fft + k);
      float v = weight[0] * weight[0] * err[base + static_cast<std::size_t>(term[0])];
      if (num_terms == 2) v += weight[1] * weight[1] * err[base + static_cast<std::size_t>(term[1])];
      e[static_cast<std::size_t>(s)] = v;
    }
    return e;
  }
  [[nodiscard]] Eigen::MatrixXcf received(int k) const {
    Eigen::MatrixXcf m(antennas, columns());
    for (int a = 0; a < antennas; ++a) {
      for (int c = 0; c < columns(); ++c) {
        m(a, c) = y[static_cast<std::size_t>(a * symbols_total * fft + y_offset[static_cast<std::size_t>(c)] + k)];
      }
    }
    return m;
  }
  /// Overwrites channel term 0 at subcarrier k.
  void set_channel(int k, const Eigen::MatrixXcf& m) {
    for (int a = 0; a < antennas; ++a) {
      for (int s = 0; s < streams; ++s) {
        h[static_cast<std::size_t>((a * streams + s) * pilots * fft + k) + static_cast<std::size_t>(term[0])] = m(a, s);
      }
    }
  }
};

struct Result {
  std::vector<cf32> x;
  std::vector<float> nv;
  cf32 x_at(const Problem& p, int s, int c, int k) const {
    return x[static_cast<std::size_t>((s * p.columns() + c) * p.fft + k)];
  }
  float nv_at(const Problem& p, int s, int c, int k) const {
    return nv[static_cast<std::size_t>((s * p.columns() + c) * p.fft + k)];
  }
};

Result run_batch(DetectorKind kind, const Problem& p) {
  Result r{std::vector<cf32>(p.x_size(), cf32(-7.0f, -7.0f)), std::vector<float>(p.x_size(), -7.0f)};
  SubcarrierBatchDetector detector(kind, p.antennas, p.streams, p.fft);
  detector.detect(p.view(r.x, r.nv));
  return r;
}

/// ‖H‖₂ ‖H⁺‖₂.
double condition_number(const Eigen::MatrixXcf& h) {
  Eigen::JacobiSVD<MatrixXcd> svd(h.cast<cd>());
  const auto& sv = svd.singularValues();
  return sv(0) / sv(sv.size() - 1);
}

/// Compares every subcarrier with the per-subcarrier Detector. The two differ by float rounding of G
/// and z amplified by the conditioning of the (loaded) Gram matrix, so the tolerance is
/// kSlack * eps * cond(H)² relative to the column's largest estimate (and likewise for 1/SINR).
void expect_matches_detector(DetectorKind kind, const Problem& p, double slack = 64.0) {
  const Result batch = run_batch(kind, p);
  const auto reference = make_detector(kind, p.antennas, p.streams);
  Eigen::MatrixXcf x(p.streams, p.columns());
  std::vector<float> nv(static_cast<std::size_t>(p.streams));
  for (int k = 0; k < p.fft; ++k) {
    const Eigen::MatrixXcf h = p.channel(k);
    const std::vector<float> err = p.err_var(k);
    reference->detect(h, p.n0, err, p.received(k), column_major_view(x.data(), p.streams, p.columns()), nv);
    const double cond = condition_number(h);
    const double tolerance = slack * kFloatEps * std::max(1.0, cond * cond);
    for (int s = 0; s < p.streams; ++s) {
      for (int c = 0; c < p.columns(); ++c) {
        const double scale = x.col(c).cwiseAbs().maxCoeff() + 1e-30;
        EXPECT_LE(std::abs(batch.x_at(p, s, c, k) - x(s, c)) / scale, tolerance)
            << "k " << k << " stream " << s << " column " << c << " cond " << cond;
        const float want = nv[static_cast<std::size_t>(s)];
        const float got = batch.nv_at(p, s, c, k);
        if (std::isinf(want)) {
          EXPECT_EQ(got, want) << "k " << k << " stream " << s;
        } else {
          EXPECT_LE(std::abs(got - want), tolerance * std::abs(want)) << "k " << k << " stream " << s;
        }
      }
    }
  }
}

constexpr DetectorKind kAllKinds[] = {DetectorKind::mrc, DetectorKind::zf, DetectorKind::lmmse};

}  // namespace

TEST(SubcarrierBatchDetector, MatchesThePerSubcarrierDetectorOnOneTermEstimates) {
  for (const int fft : {12, 13}) {  // neither a multiple of the 8 lanes
    for (const DetectorKind kind : kAllKinds) {
      RandomStream rng(1, static_cast<std::uint32_t>(fft), 0, RandomPurpose::test);
      const Problem p(8, 4, fft, 3, rng);
      expect_matches_detector(kind, p);
    }
  }
}

TEST(SubcarrierBatchDetector, MatchesThePerSubcarrierDetectorOnTwoTermInterpolationsWithErrorVariance) {
  for (const DetectorKind kind : kAllKinds) {
    RandomStream rng(2, 0, 0, RandomPurpose::test);
    Problem p(6, 5, 11, 2, rng);  // 5 streams: not a multiple of the 4-stream tile
    p.use_two_terms();
    expect_matches_detector(kind, p);
  }
}

TEST(SubcarrierBatchDetector, MatchesThePerSubcarrierDetectorWhenTheAntennasSplitIntoUnevenChunks) {
  // The Gram and the matched filter take the antennas a chunk of 8 at a time, parking partial sums: 19
  // antennas leave a chunk of 3, and 7 streams a partial stream tile; 9 columns need two passes.
  for (const DetectorKind kind : kAllKinds) {
    RandomStream rng(7, 0, 0, RandomPurpose::test);
    Problem p(19, 7, 10, 9, rng);
    p.use_two_terms();
    expect_matches_detector(kind, p);
  }
}

TEST(SubcarrierBatchDetector, MatchesThePerSubcarrierDetectorAtTheDefaultSizeWithManyColumns) {
  // 32 x 16 as the default scenario, 14 columns: more than one pass of kColumnsPerPass, perfect CSI.
  RandomStream rng(3, 0, 0, RandomPurpose::test);
  Problem p(32, 16, 9, 14, rng);
  p.symbols_total = 14;
  p.y.resize(static_cast<std::size_t>(32 * 14 * 9));
  rng.fill_complex_normal(p.y);
  for (int c = 0; c < 14; ++c) p.y_offset[static_cast<std::size_t>(c)] = static_cast<std::ptrdiff_t>(13 - c) * 9;
  p.with_err = false;
  for (const DetectorKind kind : {DetectorKind::zf, DetectorKind::lmmse}) expect_matches_detector(kind, p);
}

TEST(SubcarrierBatchDetector, KeepsItsStatedPrecisionOnIllConditionedChannels) {
  // Singular values log-spaced from 1 to 1/cond(H) for cond(H) up to 100 (cond(G) up to 1e4): the
  // ZF output against the exact (double) solution of the same float inputs stays within the
  // header's cond(H)² x 2^-24 (x a small constant) relative to the largest estimate.
  RandomStream rng(4, 0, 0, RandomPurpose::test);
  const int a = 8, s = 4, f = 10;
  Problem p(a, s, f, 2, rng);
  p.with_err = false;
  p.n0 = 0.0f;
  std::vector<double> conditions(static_cast<std::size_t>(f));
  for (int k = 0; k < f; ++k) {
    const double cond = std::pow(10.0, 2.0 * k / (f - 1));
    const MatrixXcd u = Eigen::HouseholderQR<MatrixXcd>(MatrixXcd::Random(a, a)).householderQ();
    const MatrixXcd v = Eigen::HouseholderQR<MatrixXcd>(MatrixXcd::Random(s, s)).householderQ();
    MatrixXcd sigma = MatrixXcd::Zero(a, s);
    for (int i = 0; i < s; ++i) sigma(i, i) = std::pow(cond, -static_cast<double>(i) / (s - 1));
    p.set_channel(k, (u * sigma * v.adjoint()).cast<cf32>());
    conditions[static_cast<std::size_t>(k)] = condition_number(p.channel(k));
  }
  const Result batch = run_batch(DetectorKind::zf, p);
  double worst_ratio = 0.0;
  for (int k = 0; k < f; ++k) {
    const MatrixXcd h = p.channel(k).cast<cd>();
    const MatrixXcd exact = h.colPivHouseholderQr().solve(p.received(k).cast<cd>());
    const double cond = conditions[static_cast<std::size_t>(k)];
    for (int c = 0; c < p.columns(); ++c) {
      double error = 0.0;
      for (int i = 0; i < s; ++i) error = std::max(error, std::abs(cd(batch.x_at(p, i, c, k)) - exact(i, c)));
      const double relative = error / exact.col(c).cwiseAbs().maxCoeff();
      worst_ratio = std::max(worst_ratio, relative / (kFloatEps * cond * cond));
      EXPECT_LE(relative, 16.0 * kFloatEps * cond * cond) << "k " << k << " cond(H) " << cond;
    }
  }
  RecordProperty("worst_error_over_eps_cond2", std::to_string(worst_ratio));
}

TEST(SubcarrierBatchDetector, HidesAZeroStreamAndSurvivesRepeatedColumns) {
  RandomStream rng(5, 0, 0, RandomPurpose::test);
  Problem p(6, 4, 9, 2, rng);
  for (int k = 0; k < p.fft; ++k) {
    Eigen::MatrixXcf h = p.channel(k);
    if (k % 2 == 0) h.col(1).setZero();   // stream 1 silent
    if (k % 3 == 0) h.col(3) = h.col(2);  // streams 2 and 3 indistinguishable
    p.set_channel(k, h);
  }
  for (const DetectorKind kind : kAllKinds) {
    const Result batch = run_batch(kind, p);
    for (int k = 0; k < p.fft; k += 2) {
      for (int c = 0; c < p.columns(); ++c) {
        EXPECT_EQ(batch.x_at(p, 1, c, k), cf32(0.0f, 0.0f)) << "k " << k;
        EXPECT_EQ(batch.nv_at(p, 1, c, k), kInf) << "k " << k;
      }
    }
    if (kind == DetectorKind::zf) {
      // A rank-deficient pair is (near-)invisible to ZF: a huge post-detection noise, never NaN.
      for (int k = 0; k < p.fft; k += 3) {
        for (int s = 2; s < 4; ++s) EXPECT_GT(batch.nv_at(p, s, 0, k), 1e3f) << "k " << k;
      }
    } else {
      // MRC and the loaded LMMSE stay well defined: compare with the per-subcarrier detector.
      expect_matches_detector(kind, p);
    }
  }
}

TEST(SubcarrierBatchDetector, ASubcarriersOutputBitsDoNotDependOnItsPositionOrTheBufferOffset) {
  RandomStream rng(6, 0, 0, RandomPurpose::test);
  Problem base(5, 3, 13, 3, rng);
  base.use_two_terms();
  // Subcarrier k of `base` moves to position 3 + perm(k) of a 21-subcarrier problem, in buffers that
  // start one element later (so no vector is aligned as before).
  const int f = 21, shift = 3;
  std::vector<int> perm(13);
  std::iota(perm.begin(), perm.end(), 0);
  std::reverse(perm.begin(), perm.end());
  std::rotate(perm.begin(), perm.begin() + 5, perm.end());
  Problem moved(5, 3, f, 3, rng);
  moved.use_two_terms();
  moved.term[1] = f;
  auto remap = [&](auto& dst, const auto& src, int rows, int offset) {
    for (int r = 0; r < rows; ++r) {
      for (int k = 0; k < 13; ++k) {
        dst[static_cast<std::size_t>(r * f + shift + perm[static_cast<std::size_t>(k)] + offset)] =
            src[static_cast<std::size_t>(r * 13 + k)];
      }
    }
  };
  std::vector<cf32> h(moved.h.size() + 1), y(moved.y.size() + 1);
  std::vector<float> err(moved.err.size() + 1);
  remap(h, base.h, 5 * 3 * 2, 1);
  remap(err, base.err, 3 * 2, 1);
  remap(y, base.y, 5 * base.symbols_total, 1);
  for (std::size_t c = 0; c < 3; ++c) {
    moved.y_offset[c] = base.y_offset[c] / 13 * f;
    moved.x_offset[c] = base.x_offset[c] / 13 * f;
  }
  const Result want = [&] {
    Result r{std::vector<cf32>(base.x_size()), std::vector<float>(base.x_size())};
    SubcarrierBatchDetector(DetectorKind::lmmse, 5, 3, 13).detect(base.view(r.x, r.nv));
    return r;
  }();
  std::vector<cf32> x(moved.x_size() + 1);
  std::vector<float> nv(moved.x_size() + 1);
  ChannelGroupView g = moved.view(x, nv);
  g.h = h.data() + 1;
  g.err = err.data() + 1;
  g.y = y.data() + 1;
  g.x_hat = x.data() + 1;
  g.nv = nv.data() + 1;
  SubcarrierBatchDetector(DetectorKind::lmmse, 5, 3, f).detect(g);
  for (int s = 0; s < 3; ++s) {
    for (int c = 0; c < 3; ++c) {
      for (int k = 0; k < 13; ++k) {
        const std::size_t at =
            static_cast<std::size_t>((s * 3 + c) * f + shift + perm[static_cast<std::size_t>(k)] + 1);
        const cf32 got = x[at], expected = want.x_at(base, s, c, k);
        EXPECT_EQ(std::memcmp(&got, &expected, sizeof got), 0) << "s " << s << " c " << c << " k " << k;
        const float got_nv = nv[at], expected_nv = want.nv_at(base, s, c, k);
        EXPECT_EQ(std::memcmp(&got_nv, &expected_nv, sizeof got_nv), 0) << "s " << s << " c " << c << " k " << k;
      }
    }
  }
}

TEST(SubcarrierBatchDetector, AColumnsOutputBitsDoNotDependOnHowManyColumnsTheGroupHas) {
  // Up to kStagedColumns columns are staged a stage at a time, more are loaded block by block: column c
  // of a group one column too large for the staging must come out bit for bit as in a group of one.
  const int columns = SubcarrierBatchDetector::kStagedColumns + 1;
  const int fft = 75;  // three stages of subcarriers (32, 32, 11): stage0 > 0 and a partial stage
  RandomStream rng(9, 0, 0, RandomPurpose::test);
  Problem many(4, 3, fft, columns, rng);
  many.symbols_total = columns;
  many.y.resize(static_cast<std::size_t>(4 * columns * fft));
  rng.fill_complex_normal(many.y);
  for (int c = 0; c < columns; ++c) many.y_offset[static_cast<std::size_t>(c)] = static_cast<std::ptrdiff_t>(c) * fft;
  many.use_two_terms();
  for (const DetectorKind kind : kAllKinds) {
    std::vector<cf32> x(many.x_size());
    std::vector<float> nv(many.x_size());
    SubcarrierBatchDetector detector(kind, 4, 3, fft);
    detector.detect(many.view(x, nv));
    for (int c = 0; c < columns; ++c) {
      Problem one = many;
      one.y_offset = {many.y_offset[static_cast<std::size_t>(c)]};
      one.x_offset = {0};
      std::vector<cf32> x1(one.x_size());
      std::vector<float> nv1(one.x_size());
      detector.detect(one.view(x1, nv1));
      for (int s = 0; s < 3; ++s) {
        for (int k = 0; k < fft; ++k) {
          const std::size_t at = static_cast<std::size_t>((s * columns + c) * fft + k);
          const std::size_t at1 = static_cast<std::size_t>(s * fft + k);
          EXPECT_EQ(std::memcmp(&x[at], &x1[at1], sizeof(cf32)), 0) << "c " << c << " s " << s << " k " << k;
          EXPECT_EQ(std::memcmp(&nv[at], &nv1[at1], sizeof(float)), 0) << "c " << c << " s " << s << " k " << k;
        }
      }
    }
  }
}

TEST(SubcarrierBatchDetector, ANonFiniteChannelSilencesOnlyItsOwnSubcarrier) {
  RandomStream rng(7, 0, 0, RandomPurpose::test);
  Problem p(6, 3, 8, 2, rng);
  const Problem clean = p;
  Eigen::MatrixXcf h = p.channel(5);
  h(2, 1) = cf32(std::numeric_limits<float>::quiet_NaN(), 0.0f);
  p.set_channel(5, h);
  for (const DetectorKind kind : {DetectorKind::zf, DetectorKind::lmmse}) {
    const Result dirty = run_batch(kind, p), reference = run_batch(kind, clean);
    for (int s = 0; s < 3; ++s) {
      for (int c = 0; c < 2; ++c) {
        EXPECT_EQ(dirty.x_at(p, s, c, 5), cf32(0.0f, 0.0f));
        EXPECT_EQ(dirty.nv_at(p, s, c, 5), kInf);
        for (int k = 0; k < 8; ++k) {
          if (k == 5) continue;
          EXPECT_EQ(dirty.x_at(p, s, c, k), reference.x_at(p, s, c, k)) << "k " << k;
          EXPECT_EQ(dirty.nv_at(p, s, c, k), reference.nv_at(p, s, c, k)) << "k " << k;
        }
      }
    }
  }
}

TEST(SubcarrierBatchDetector, RejectsMissingBuffersAndBadConfigurations) {
  EXPECT_THROW(SubcarrierBatchDetector(DetectorKind::zf, 2, 4, 8), invalid_config);
  EXPECT_THROW(SubcarrierBatchDetector(DetectorKind::lmmse, 4, 2, 0), invalid_config);
  SubcarrierBatchDetector detector(DetectorKind::lmmse, 4, 2, 8);
  EXPECT_THROW(detector.detect(ChannelGroupView{}), std::invalid_argument);
}
