// Monte-Carlo over AWGN against theory: the hard-decision BER of map -> CN(0, N0) -> max-log demap
// against the exact Gray square-QAM formula, and the calibration of the APP LLRs
// (P(b = 1 | LLR = l) = 1/(1 + e^-l)).
//
// Statistics (tests/support/confidence.h): symbols are the independent units (each has its own noise);
// the bits of one symbol are not independent, so errors are tallied per symbol and the interval is
// widened by the measured design effect. Every test uses z from a Bonferroni bound on its number of
// comparisons at a family-wise false-alarm probability of 1e-3. Seeds are fixed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "sixg/phy/qam/demapper.h"
#include "sixg/phy/qam/mapper.h"
#include "sixg/phy/random/random_stream.h"
#include "support/confidence.h"
#include "support/theory.h"

using namespace sixg::phy;
using sixg::test::ErrorTally;

namespace {

constexpr std::uint64_t kSeed = 20240611;
constexpr std::size_t kChunkSymbols = 4096;  // one RandomStream frame per chunk
constexpr double kFamilyAlpha = 1e-3;

/// Sends `num_symbols` random symbols through CN(0, n0), demaps them and calls
/// visit(bits, llrs, count) chunk by chunk (bits and llrs hold m·count entries).
template <class Visit>
void simulate(Modulation mod, DemapMethod method, float n0, std::uint32_t point, std::size_t num_symbols, Visit visit) {
  const Mapper mapper(mod);
  const auto demapper = make_demapper(mod, method);
  const auto m = static_cast<std::size_t>(mapper.bits_per_symbol());
  std::vector<std::uint8_t> bits(kChunkSymbols * m);
  std::vector<cf32> symbols(kChunkSymbols), noise(kChunkSymbols);
  std::vector<float> llr(kChunkSymbols * m);
  const std::vector<float> noise_var(kChunkSymbols, n0);
  for (std::size_t first = 0, frame = 0; first < num_symbols; first += kChunkSymbols, ++frame) {
    const std::size_t count = std::min(kChunkSymbols, num_symbols - first);
    const std::span<std::uint8_t> b(bits.data(), count * m);
    const std::span<cf32> y(symbols.data(), count), w(noise.data(), count);
    RandomStream(kSeed, point, frame, RandomPurpose::info_bits).fill_bits(b);
    mapper.map(b, y);
    RandomStream(kSeed, point, frame, RandomPurpose::noise).fill_complex_normal(w, n0);
    for (std::size_t s = 0; s < count; ++s) y[s] += w[s];
    const std::span<float> l(llr.data(), count * m);
    demapper->demap(y, std::span(noise_var).first(count), l);
    visit(std::span<const std::uint8_t>(b), std::span<const float>(l), count);
  }
}

}  // namespace

TEST(QamAwgnStatistics, HardDecisionBerMatchesExactGrayQamFormula) {
  // The sign of the max-log LLR is the nearest-point decision the formula assumes (the APP sign is
  // the bitwise MAP decision, which is not). Es/N0 points give BER ≈ 1e-2, 1e-3, 1e-4.
  struct Case {
    Modulation mod;
    double esn0_db[3];
  };
  const Case cases[] = {{Modulation::qpsk, {6, 9, 11}},
                        {Modulation::qam16, {13, 16, 18}},
                        {Modulation::qam64, {19, 22, 24}},
                        {Modulation::qam256, {25, 28, 30}}};
  // 4000 expected errors per point: the 99.99 %-level interval is about ±6 % of the BER, so e.g. a
  // 0.2 dB error in a normalisation (64-QAM: ≈ 25 % in BER at 1e-3) cannot pass.
  constexpr double kExpectedErrors = 4000;
  const double z = sixg::test::bonferroni_z(kFamilyAlpha, 12);
  std::uint32_t point = 0;
  for (const auto& c : cases) {
    const int m = bits_per_symbol(c.mod);
    for (double esn0_db : c.esn0_db) {
      const double theory = sixg::test::gray_qam_ber_awgn(m, sixg::test::db_to_linear(esn0_db));
      const auto num_symbols = static_cast<std::size_t>(std::ceil(kExpectedErrors / (theory * m)));
      const auto n0 = static_cast<float>(1.0 / sixg::test::db_to_linear(esn0_db));
      ErrorTally tally(static_cast<std::uint64_t>(m));
      simulate(c.mod, DemapMethod::max_log, n0, point++, num_symbols,
               [&](std::span<const std::uint8_t> bits, std::span<const float> llr, std::size_t count) {
                 for (std::size_t s = 0; s < count; ++s) {
                   std::uint64_t errors = 0;
                   for (std::size_t i = s * m; i < (s + 1) * m; ++i) errors += (llr[i] > 0.0f) != (bits[i] == 1);
                   tally.add_unit(errors);
                 }
               });
      EXPECT_TRUE(sixg::test::ber_matches_theory(tally, theory, z)) << m << " bits/symbol, Es/N0 " << esn0_db << " dB";
    }
  }
}

namespace {

/// Calibration of LLRs: one bit per symbol (bit s mod m, so the samples are independent), binned by
/// LLR; in each bin the number of ones O has mean E = Σ σ(l) and variance V = Σ σ(l)(1-σ(l)) if
/// P(b = 1 | l) = σ(l). Returns the largest |O - E|/√V over bins holding at least 100 samples.
double worst_calibration_z(Modulation mod, DemapMethod method, double esn0_db, std::uint32_t point,
                           std::size_t num_symbols) {
  constexpr int kBins = 16;
  constexpr double kRange = 8.0;  // bins of width 1 over [-8, 8]; the tails fold into the end bins
  std::vector<double> ones(kBins, 0.0), expected(kBins, 0.0), variance(kBins, 0.0), samples(kBins, 0.0);
  const auto m = static_cast<std::size_t>(bits_per_symbol(mod));
  std::size_t symbol = 0;
  simulate(mod, method, static_cast<float>(1.0 / sixg::test::db_to_linear(esn0_db)), point, num_symbols,
           [&](std::span<const std::uint8_t> bits, std::span<const float> llr, std::size_t count) {
             for (std::size_t s = 0; s < count; ++s, ++symbol) {
               const std::size_t i = s * m + symbol % m;
               const double l = llr[i];
               const int bin =
                   std::clamp(static_cast<int>(std::floor((l + kRange) / (2 * kRange) * kBins)), 0, kBins - 1);
               const double p1 = 1.0 / (1.0 + std::exp(-l));
               ones[static_cast<std::size_t>(bin)] += bits[i];
               expected[static_cast<std::size_t>(bin)] += p1;
               variance[static_cast<std::size_t>(bin)] += p1 * (1.0 - p1);
               samples[static_cast<std::size_t>(bin)] += 1.0;
             }
           });
  double worst = 0.0;
  for (std::size_t b = 0; b < kBins; ++b) {
    if (samples[b] >= 100 && variance[b] > 0.0) {
      worst = std::max(worst, std::abs(ones[b] - expected[b]) / std::sqrt(variance[b]));
    }
  }
  return worst;
}

}  // namespace

TEST(QamAwgnStatistics, AppLlrsAreCalibratedPosteriors) {
  // Low to moderate SNR, where LLRs spread over the bins and APP differs from max-log.
  struct Case {
    Modulation mod;
    double esn0_db;
  };
  const Case cases[] = {
      {Modulation::qam16, 4.0}, {Modulation::qam16, 10.0}, {Modulation::qam64, 10.0}, {Modulation::qam256, 16.0}};
  const double z = sixg::test::bonferroni_z(kFamilyAlpha, 16 * 4);
  std::uint32_t point = 100;
  for (const auto& c : cases) {
    EXPECT_LT(worst_calibration_z(c.mod, DemapMethod::app, c.esn0_db, point++, 400000), z)
        << bits_per_symbol(c.mod) << " bits/symbol, Es/N0 " << c.esn0_db << " dB";
  }
}

TEST(QamAwgnStatistics, CalibrationCheckDetectsTheMaxLogApproximation) {
  // The same check must reject max-log LLRs where they differ from the posterior (low SNR, inner
  // bits): otherwise the calibration test above would have no power.
  const double z = sixg::test::bonferroni_z(kFamilyAlpha, 16 * 4);
  EXPECT_GT(worst_calibration_z(Modulation::qam16, DemapMethod::max_log, 4.0, 200, 400000), z);
  EXPECT_GT(worst_calibration_z(Modulation::qam64, DemapMethod::max_log, 10.0, 201, 400000), z);
}
