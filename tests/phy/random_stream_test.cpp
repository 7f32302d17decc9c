// RandomStream: Philox4x32-10 against the Random123 known-answer vectors; the SIMD fills against a
// scalar reference built here from the documented definition (block j -> 4 words / 128 bits / 4
// normals), bit for bit; continuation rules between calls; the statistics of the normals and bits
// (tolerances from the sample size, fixed seeds); independence of streams.
#include "sixg/phy/random/random_stream.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>
#include <vector>

#include "sixg/phy/channel/awgn_noise.h"
#include "sixg/phy/random/gaussian_kernels.h"
#include "support/confidence.h"
#include "support/heap_counter.h"

using namespace sixg::phy;

namespace {

namespace rk = sixg::phy::random_kernels;

const std::vector<std::size_t> kSizes = {0, 1, 2, 3, 5, 7, 8, 9, 31, 1000, 4097};

struct StreamId {
  std::uint64_t seed;
  std::uint32_t snr;
  std::uint64_t frame;
  RandomPurpose purpose;
};
constexpr StreamId kId{0x0123456789abcdefull, 513, 0x0000000500000007ull, RandomPurpose::noise};

RandomStream make(const StreamId& id) { return RandomStream(id.seed, id.snr, id.frame, id.purpose); }

/// Block j of the stream, from the header's key/counter definition and the scalar Philox.
PhiloxCounter reference_block(const StreamId& id, std::uint32_t j) {
  const PhiloxKey key{static_cast<std::uint32_t>(id.seed), static_cast<std::uint32_t>(id.seed >> 32)};
  const PhiloxCounter counter{j, (static_cast<std::uint32_t>(id.purpose) << 16) | id.snr,
                              static_cast<std::uint32_t>(id.frame), static_cast<std::uint32_t>(id.frame >> 32)};
  return philox4x32_10(counter, key);
}

/// n normals starting at block `first`: block j -> Box-Muller on (w0, w1), (w2, w3), times stddev.
std::vector<float> reference_normals(const StreamId& id, std::uint32_t first, std::size_t n, float stddev) {
  std::vector<float> out;
  for (std::uint32_t j = first; out.size() < n; ++j) {
    const PhiloxCounter w = reference_block(id, j);
    float z[4];
    rk::box_muller<rk::ScalarLanes>(rk::top24(w[0]), rk::top24(w[1]), z[0], z[1]);
    rk::box_muller<rk::ScalarLanes>(rk::top24(w[2]), rk::top24(w[3]), z[2], z[3]);
    for (float v : z) out.push_back(v * stddev);
  }
  out.resize(n);
  return out;
}

std::vector<std::uint32_t> reference_words(const StreamId& id, std::uint32_t first, std::size_t n) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t j = first; out.size() < n; ++j) {
    for (std::uint32_t w : reference_block(id, j)) out.push_back(w);
  }
  out.resize(n);
  return out;
}

std::vector<std::uint8_t> reference_bits(const StreamId& id, std::uint32_t first, std::size_t n) {
  std::vector<std::uint8_t> out;
  for (std::uint32_t w : reference_words(id, first, (n + 31) / 32)) {
    for (int b = 0; b < 32; ++b) out.push_back(static_cast<std::uint8_t>((w >> b) & 1u));
  }
  out.resize(n);
  return out;
}

/// Bit patterns, so that the comparison is exact (also for -0.0f) and failures print usefully.
std::vector<std::uint32_t> bits_of(const std::vector<float>& v) {
  std::vector<std::uint32_t> out(v.size());
  std::transform(v.begin(), v.end(), out.begin(), [](float x) { return std::bit_cast<std::uint32_t>(x); });
  return out;
}

}  // namespace

TEST(Philox, KnownAnswerVectors) {
  // Random123 kat_vectors, philox4x32 with 10 rounds.
  EXPECT_EQ(philox4x32_10({0, 0, 0, 0}, {0, 0}), (PhiloxCounter{0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u}));
  EXPECT_EQ(philox4x32_10({0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu}, {0xffffffffu, 0xffffffffu}),
            (PhiloxCounter{0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu}));
  EXPECT_EQ(philox4x32_10({0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u}, {0xa4093822u, 0x299f31d0u}),
            (PhiloxCounter{0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u}));
}

TEST(RandomStream, NextU32IsTheWordSequenceOfConsecutiveBlocks) {
  RandomStream s = make(kId);
  const auto expected = reference_words(kId, 0, 37);
  for (std::size_t i = 0; i < expected.size(); ++i) ASSERT_EQ(s.next_u32(), expected[i]) << "word " << i;
  EXPECT_EQ(s.next_block_index(), 10u);
}

TEST(RandomStream, FillNormalEqualsTheScalarReferenceBitForBit) {
  // Sizes around the 16-block (64-normal) vector step and its remainder path; a lane with a wrong
  // counter or a mis-transposed store changes some element.
  for (std::size_t n : {std::size_t{63}, std::size_t{64}, std::size_t{65}, std::size_t{127}, std::size_t{129}}) {
    RandomStream s = make(kId);
    std::vector<float> got(n);
    s.fill_normal(got);
    EXPECT_EQ(bits_of(got), bits_of(reference_normals(kId, 0, n, 1.0f))) << "n = " << n;
  }
  for (std::size_t draws : {0, 1, 3, 4, 5}) {
    for (std::size_t n : kSizes) {
      RandomStream s = make(kId);
      for (std::size_t d = 0; d < draws; ++d) s.next_u32();
      std::vector<float> got(n);
      s.fill_normal(got, 0.7f);
      // A partly used words block is left: the normals start at the next block.
      const auto first = static_cast<std::uint32_t>((draws + 3) / 4);
      EXPECT_EQ(bits_of(got), bits_of(reference_normals(kId, first, n, 0.7f))) << draws << " draws, n = " << n;
      if (n > 0) {
        EXPECT_EQ(s.next_block_index(), first + (n + 3) / 4);
      }
    }
  }
}

TEST(RandomStream, NormalsContinueAcrossCallsAndOtherFormsStartANewBlock) {
  RandomStream whole = make(kId), pieces = make(kId);
  std::vector<float> all(230);  // = 5 + 2 + 5 + 1 + 0 + 64 + 3 + 150
  whole.fill_normal(all, 2.0f);
  std::vector<float> joined;
  for (std::size_t n : {5, 2, 5, 1, 0, 64, 3, 150}) {
    std::vector<float> part(n);
    pieces.fill_normal(part, 2.0f);
    joined.insert(joined.end(), part.begin(), part.end());
  }
  EXPECT_EQ(bits_of(joined), bits_of(all));
  // 230 normals use blocks 0..57 (the last one half); the next word is word 0 of block 58.
  EXPECT_EQ(pieces.next_u32(), reference_block(kId, 58)[0]);
  std::vector<float> after(4);
  pieces.fill_normal(after);  // the words block is abandoned after one word
  EXPECT_EQ(bits_of(after), bits_of(reference_normals(kId, 59, 4, 1.0f)));
}

TEST(RandomStream, ComplexNormalIsTwoRealNormalsOfHalfTheVariance) {
  for (std::size_t n : kSizes) {
    RandomStream a = make(kId), b = make(kId);
    std::vector<cf32> z(n);
    a.fill_complex_normal(z, 0.3f);
    std::vector<float> x(2 * n);
    b.fill_normal(x, std::sqrt(0.3f / 2.0f));
    std::vector<float> z_floats(2 * n);
    for (std::size_t i = 0; i < n; ++i) z_floats[2 * i] = z[i].real(), z_floats[2 * i + 1] = z[i].imag();
    EXPECT_EQ(bits_of(z_floats), bits_of(x)) << "n = " << n;
  }
}

TEST(RandomStream, FillUniformEqualsTheWordMapAndContinuesAfterNextU32) {
  for (std::size_t draws : {0, 1, 4, 6}) {
    for (std::size_t n : kSizes) {
      RandomStream s = make(kId);
      for (std::size_t d = 0; d < draws; ++d) s.next_u32();
      std::vector<float> got(n);
      s.fill_uniform(got);
      const auto words = reference_words(kId, 0, draws + n);
      std::vector<float> expected;
      for (std::size_t i = draws; i < words.size(); ++i) {
        expected.push_back((static_cast<float>(words[i] >> 8) + 0.5f) * 0x1p-24f);
      }
      EXPECT_EQ(bits_of(got), bits_of(expected)) << draws << " draws, n = " << n;
      if (n > 0) {
        EXPECT_EQ(s.next_u32(), words.size() % 4 == 0
                                    ? reference_block(kId, static_cast<std::uint32_t>(words.size() / 4))[0]
                                    : reference_words(kId, 0, words.size() + 1).back())
            << draws << " draws, n = " << n;
      }
      for (float u : got) ASSERT_TRUE(u > 0.0f && u <= 1.0f);
    }
  }
}

TEST(RandomStream, FillBitsEqualsTheBlockBitsAndContinuesAcrossCalls) {
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{127}, std::size_t{128}, std::size_t{129},
                        std::size_t{2047}, std::size_t{2048}, std::size_t{2049}, std::size_t{5000}}) {
    RandomStream s = make(kId);
    std::vector<std::uint8_t> got(n);
    s.fill_bits(got);
    EXPECT_EQ(got, reference_bits(kId, 0, n)) << "n = " << n;
  }
  RandomStream pieces = make(kId);
  std::vector<std::uint8_t> joined;
  for (std::size_t n : {3, 200, 10, 0, 2048, 77, 3862, 128}) {
    std::vector<std::uint8_t> part(n);
    pieces.fill_bits(part);
    joined.insert(joined.end(), part.begin(), part.end());
  }
  EXPECT_EQ(joined, reference_bits(kId, 0, joined.size()));
  // A words draw after bits starts the next block (6328 bits = 49.4 blocks -> block 50).
  EXPECT_EQ(pieces.next_u32(), reference_block(kId, 50)[0]);
}

TEST(RandomStream, SameKeySameNumbersAnyOtherFieldIndependentNumbers) {
  // Each of the counter/key fields changes the stream: no word in common beyond chance (1000^2 pairs
  // of 32-bit words collide with probability 2e-4), and sample correlation of the normals within
  // 5 / sqrt(n).
  const std::vector<StreamId> others = {{kId.seed + 1, kId.snr, kId.frame, kId.purpose},
                                        {kId.seed, kId.snr + 1, kId.frame, kId.purpose},
                                        {kId.seed, kId.snr, kId.frame + 1, kId.purpose},
                                        {kId.seed, kId.snr, kId.frame + (1ull << 32), kId.purpose},
                                        {kId.seed, kId.snr, kId.frame, RandomPurpose::channel}};
  constexpr std::size_t kN = 20000;
  std::vector<float> base(kN), again(kN);
  make(kId).fill_normal(base);
  make(kId).fill_normal(again);
  EXPECT_EQ(bits_of(base), bits_of(again));
  for (const StreamId& id : others) {
    std::vector<float> other(kN);
    make(id).fill_normal(other);
    double xy = 0.0, xx = 0.0, yy = 0.0;
    for (std::size_t i = 0; i < kN; ++i) xy += base[i] * other[i], xx += base[i] * base[i], yy += other[i] * other[i];
    EXPECT_LT(std::abs(xy / std::sqrt(xx * yy)), 5.0 / std::sqrt(kN));
    auto a_words = reference_words(kId, 0, 1000), b_words = reference_words(id, 0, 1000);
    std::sort(a_words.begin(), a_words.end());
    std::sort(b_words.begin(), b_words.end());
    std::vector<std::uint32_t> common;
    std::set_intersection(a_words.begin(), a_words.end(), b_words.begin(), b_words.end(), std::back_inserter(common));
    EXPECT_TRUE(common.empty());
  }
}

TEST(RandomStream, NormalsHaveTheMomentsAndDistributionOfNZeroOne) {
  constexpr std::size_t kN = 1 << 20;
  std::vector<float> x(kN);
  RandomStream(7, 0, 0, RandomPurpose::test).fill_normal(x);
  double m1 = 0, m2 = 0, m4 = 0;
  for (float v : x) m1 += v;
  m1 /= kN;
  for (float v : x) {
    const double d = v - m1;
    m2 += d * d;
    m4 += d * d * d * d;
  }
  m2 /= kN;
  m4 /= kN;
  // Four checks (mean, variance, kurtosis, KS) with family-wise false alarm 1e-6 at this fixed seed.
  const double z = sixg::test::bonferroni_z(1e-6, 4), n = kN;
  EXPECT_NEAR(m1, 0.0, z / std::sqrt(n));                     // sd of the mean: 1/sqrt(n)
  EXPECT_NEAR(m2, 1.0, z * std::sqrt(2.0 / n));               // sd of the variance: sqrt(2/n)
  EXPECT_NEAR(m4 / (m2 * m2), 3.0, z * std::sqrt(24.0 / n));  // sd of the kurtosis: sqrt(24/n)
  // Kolmogorov-Smirnov: P(sqrt(n) D > t) ~ 2 exp(-2 t^2) -> t = sqrt(ln(2 / alpha) / 2).
  std::sort(x.begin(), x.end());
  double d_max = 0.0;
  for (std::size_t i = 0; i < kN; ++i) {
    const double cdf = 0.5 * std::erfc(-x[i] / std::numbers::sqrt2);
    d_max = std::max({d_max, cdf - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - cdf});
  }
  EXPECT_LT(d_max, std::sqrt(std::log(2.0 / (1e-6 / 4)) / 2.0) / std::sqrt(n));
}

TEST(RandomStream, EveryNormalSlotOfABlockIsUnitVariance) {
  // Per slot m = i mod 4 (which word pair, cos or sin) and per lane position i mod 64 of the vector
  // step: a slot fed the wrong word or a wrong scale shows as a variance off 1.
  constexpr std::size_t kN = 1 << 19, kSlots = 64;
  std::vector<float> x(kN);
  RandomStream(8, 0, 0, RandomPurpose::test).fill_normal(x, 3.0f);
  const double z = sixg::test::bonferroni_z(1e-6, kSlots), per_slot = kN / kSlots;
  for (std::size_t slot = 0; slot < kSlots; ++slot) {
    double sum2 = 0;
    for (std::size_t i = slot; i < kN; i += kSlots) sum2 += static_cast<double>(x[i]) * x[i];
    EXPECT_NEAR(sum2 / per_slot / 9.0, 1.0, z * std::sqrt(2.0 / per_slot)) << "slot " << slot;
  }
}

TEST(RandomStream, BitsAreBalancedPerPositionAndReproducible) {
  constexpr std::size_t kN = 1 << 20, kPositions = 128;
  std::vector<std::uint8_t> bits(kN), again(kN);
  RandomStream(1, 0, 0, RandomPurpose::info_bits).fill_bits(bits);
  RandomStream(1, 0, 0, RandomPurpose::info_bits).fill_bits(again);
  EXPECT_EQ(bits, again);
  const double z = sixg::test::bonferroni_z(1e-6, kPositions + 1), per_position = kN / kPositions;
  std::size_t total = 0;
  for (std::size_t p = 0; p < kPositions; ++p) {
    std::size_t ones = 0;
    for (std::size_t i = p; i < kN; i += kPositions) {
      ASSERT_LE(bits[i], 1);
      ones += bits[i];
    }
    total += ones;
    EXPECT_NEAR(static_cast<double>(ones), per_position / 2, z * std::sqrt(per_position) / 2) << "bit " << p;
  }
  EXPECT_NEAR(static_cast<double>(total), kN / 2.0, z * std::sqrt(static_cast<double>(kN)) / 2);
}

TEST(AddAwgn, NoiseIsOneFillComplexNormalCall) {
  // 1500 elements span several internal chunks and end inside one.
  std::vector<cf32> y(1500, cf32(0.0f, 0.0f)), noise(1500);
  RandomStream a = make(kId), b = make(kId);
  add_awgn(a, y, 0.25f);
  b.fill_complex_normal(noise, 0.25f);
  EXPECT_EQ(y, noise);
}

TEST(AddAwgn, AllocatesNothing) {
  if (!sixg::test::heap_counting_available()) GTEST_SKIP() << "heap counting unavailable (sanitizer build)";
  std::vector<cf32> y(1500);
  RandomStream rng = make(kId);
  EXPECT_EQ(sixg::test::heap_allocations_during([&] { add_awgn(rng, y, 0.25f); }), 0);
}
