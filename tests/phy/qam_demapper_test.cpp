// The demapper against a brute-force reference over the full 2-D constellation (which checks the
// per-axis factorisation), the exact QPSK closed form, the noiseless round trip, the APP/max-log
// relation, position independence and the no-allocation promise.
#include "sixg/phy/qam/demapper.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <new>
#include <numbers>
#include <stdexcept>
#include <vector>

#include "sixg/phy/qam/constellation.h"
#include "sixg/phy/qam/mapper.h"
#include "sixg/phy/random/random_stream.h"

// Counts heap allocations so a test can check that demap() makes none. Replacing the global
// operator new is allowed ([replacement.functions]); the library's other forms forward to it.
// Not inlined: GCC 12 otherwise pairs the inlined free() with the new-expression and warns
// (-Wmismatched-new-delete), although both sides are these replacements.
namespace {
std::atomic<long> g_allocations{0};
}  // namespace
[[gnu::noinline]] void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
[[gnu::noinline]] void operator delete(void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept { std::free(p); }

using namespace sixg::phy;

namespace {

constexpr Modulation kAll[] = {Modulation::qpsk, Modulation::qam16, Modulation::qam64, Modulation::qam256,
                               Modulation::qam1024};
constexpr DemapMethod kMethods[] = {DemapMethod::max_log, DemapMethod::app};

/// The definitions, in double, over all M points (no per-axis shortcut):
///   app     ln Σ_{x: b_i=1} exp(-|y-x|²/N0) - ln Σ_{x: b_i=0} exp(-|y-x|²/N0)
///   max_log (min_{b_i=0} |y-x|² - min_{b_i=1} |y-x|²) / N0
std::vector<double> reference_llrs(Modulation mod, DemapMethod method, cf32 y, double n0) {
  const auto& c = Constellation::of(mod);
  const int m = c.bits_per_symbol();
  std::vector<double> llr(static_cast<std::size_t>(m));
  for (int i = 0; i < m; ++i) {
    double nearest[2] = {std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity()};
    for (unsigned label = 0; label < c.size(); ++label) {
      const int bit = static_cast<int>((label >> (m - 1 - i)) & 1u);
      nearest[bit] =
          std::min(nearest[bit], std::norm(std::complex<double>(y) - std::complex<double>(c.points()[label])));
    }
    double log_sum[2] = {0.0, 0.0};  // ln Σ exp(-(d - nearest)/N0), each ≥ 0
    if (method == DemapMethod::app) {
      double sum[2] = {0.0, 0.0};
      for (unsigned label = 0; label < c.size(); ++label) {
        const int bit = static_cast<int>((label >> (m - 1 - i)) & 1u);
        const double d = std::norm(std::complex<double>(y) - std::complex<double>(c.points()[label]));
        sum[bit] += std::exp(-(d - nearest[bit]) / n0);
      }
      log_sum[0] = std::log(sum[0]);
      log_sum[1] = std::log(sum[1]);
    }
    llr[static_cast<std::size_t>(i)] = (nearest[0] - nearest[1]) / n0 + log_sum[1] - log_sum[0];
  }
  return llr;
}

/// Received symbols: random points plus CN(0, n0) noise, and a few far outside the constellation.
std::vector<cf32> received(Modulation mod, std::size_t n, float n0, std::uint64_t frame) {
  const Mapper mapper(mod);
  std::vector<std::uint8_t> bits(n * static_cast<std::size_t>(mapper.bits_per_symbol()));
  RandomStream(3, 0, frame, RandomPurpose::info_bits).fill_bits(bits);
  std::vector<cf32> y(n), noise(n);
  mapper.map(bits, y);
  RandomStream(3, 0, frame, RandomPurpose::noise).fill_complex_normal(noise, n0);
  for (std::size_t s = 0; s < n; ++s) y[s] += noise[s];
  y[0] = {3.5f, -4.0f};
  y[1] = {-0.01f, 12.0f};
  return y;
}

}  // namespace

TEST(QamDemapper, FactoryBuildsTheRequestedDemapper) {
  for (Modulation mod : kAll) {
    for (DemapMethod method : kMethods) {
      const auto d = make_demapper(mod, method);
      EXPECT_EQ(d->modulation(), mod);
      EXPECT_EQ(d->method(), method);
      EXPECT_EQ(d->bits_per_symbol(), bits_per_symbol(mod));
    }
  }
}

TEST(QamDemapper, MatchesTheBruteForceDefinitionOverTheWholeConstellation) {
  for (Modulation mod : kAll) {
    const int m = bits_per_symbol(mod);
    const float d2 = Constellation::of(mod).min_distance() * Constellation::of(mod).min_distance();
    // From far below to far above the operating SNRs, in units of the squared minimum distance.
    for (float n0 : {0.02f * d2, 0.3f * d2, 3.0f * d2, 30.0f * d2, 1.0f}) {
      const auto y =
          received(mod, 300, n0, static_cast<std::uint64_t>(m * 100) + static_cast<std::uint64_t>(n0 * 1e4f));
      const std::vector<float> noise_var(y.size(), n0);
      for (DemapMethod method : kMethods) {
        std::vector<float> llr(y.size() * static_cast<std::size_t>(m));
        make_demapper(mod, method)->demap(y, noise_var, llr);
        for (std::size_t s = 0; s < y.size(); ++s) {
          const auto ref = reference_llrs(mod, method, y[s], n0);
          for (int i = 0; i < m; ++i) {
            // float32 evaluation: distances are O(|y|) and carry relative rounding ~1e-7, the APP
            // correction terms ~1e-6 absolute; LLR = Δ/N0 inherits both.
            const double tolerance = 1e-5 * std::abs(ref[static_cast<std::size_t>(i)]) +
                                     1e-6 * (1.0 + std::norm(std::complex<double>(y[s]))) / n0 + 1e-5;
            ASSERT_NEAR(llr[s * static_cast<std::size_t>(m) + static_cast<std::size_t>(i)],
                        ref[static_cast<std::size_t>(i)], tolerance)
                << "m=" << m << (method == DemapMethod::app ? " app" : " max-log") << " N0=" << n0 << " symbol " << s
                << " y=" << y[s] << " bit " << i;
          }
        }
      }
    }
  }
}

TEST(QamDemapper, QpskLlrIsTheExactClosedForm) {
  // Per axis the QPSK symbol is ±a, a = 1/√2, with b = 0 -> +a; the real noise has variance N0/2, so
  // LLR = ln p(y|-a)/p(y|+a) = ((y-a)² - (y+a)²)/N0 = -4·a·y/N0 = -2√2·y/N0, exact for APP and max-log.
  const auto y = received(Modulation::qpsk, 500, 0.5f, 7);
  std::vector<float> noise_var(y.size());
  for (std::size_t s = 0; s < y.size(); ++s) noise_var[s] = 0.05f + 0.01f * static_cast<float>(s % 37);
  for (DemapMethod method : kMethods) {
    std::vector<float> llr(2 * y.size());
    make_demapper(Modulation::qpsk, method)->demap(y, noise_var, llr);
    for (std::size_t s = 0; s < y.size(); ++s) {
      const double re = -2.0 * std::numbers::sqrt2 * y[s].real() / noise_var[s];
      const double im = -2.0 * std::numbers::sqrt2 * y[s].imag() / noise_var[s];
      EXPECT_NEAR(llr[2 * s], re, 1e-5 * (1.0 + std::abs(re)));
      EXPECT_NEAR(llr[2 * s + 1], im, 1e-5 * (1.0 + std::abs(im)));
    }
  }
}

TEST(QamDemapper, NoiselessRoundTripGivesTheBitsBack) {
  for (Modulation mod : kAll) {
    const Mapper mapper(mod);
    const auto m = static_cast<std::size_t>(mapper.bits_per_symbol());
    const std::size_t n = 2000;
    std::vector<std::uint8_t> bits(n * m);
    RandomStream(5, 0, m, RandomPurpose::info_bits).fill_bits(bits);
    std::vector<cf32> symbols(n);
    mapper.map(bits, symbols);
    // On the point itself the nearest-point (max-log) sign is always right; the APP sign is the
    // bitwise MAP decision, which at low SNR may side with a heavier opposite class, so the APP part
    // stays at N0 ≤ d_min²/10 (opposite classes then weigh < e^-10). N0 = 0 is floored, not divided by.
    const float d2 = Constellation::of(mod).min_distance() * Constellation::of(mod).min_distance();
    for (float n0 : {0.0f, d2 / 100.0f, d2 / 10.0f}) {
      const std::vector<float> noise_var(n, n0);
      for (DemapMethod method : kMethods) {
        std::vector<float> llr(n * m);
        make_demapper(mod, method)->demap(symbols, noise_var, llr);
        for (std::size_t i = 0; i < bits.size(); ++i) {
          ASSERT_TRUE(std::isfinite(llr[i]));
          ASSERT_EQ(llr[i] > 0.0f, bits[i] == 1) << "m=" << m << " N0=" << n0 << " bit " << i << " LLR " << llr[i];
        }
      }
    }
  }
}

TEST(QamDemapper, AppDiffersFromMaxLogByAtMostTheLogOfTheClassSize) {
  // log-sum-exp over n terms lies in [max, max + ln n]; each axis bit's class has L/2 levels, so
  // |LLR_app - LLR_maxlog| ≤ ln(L/2), at any SNR. At high SNR the LLRs grow like 1/N0 and the
  // relative difference vanishes.
  for (Modulation mod : kAll) {
    const int m = bits_per_symbol(mod);
    const double bound = std::log(std::ldexp(1.0, m / 2 - 1));
    const float d2 = Constellation::of(mod).min_distance() * Constellation::of(mod).min_distance();
    for (float n0 : {d2 / 1000.0f, d2, 10.0f * d2}) {
      const auto y = received(mod, 400, n0, 11);
      const std::vector<float> noise_var(y.size(), n0);
      std::vector<float> app(y.size() * static_cast<std::size_t>(m)), max_log(app.size());
      make_demapper(mod, DemapMethod::app)->demap(y, noise_var, app);
      make_demapper(mod, DemapMethod::max_log)->demap(y, noise_var, max_log);
      for (std::size_t i = 0; i < app.size(); ++i) {
        EXPECT_LE(std::abs(app[i] - max_log[i]), bound + 1e-4 * (1.0 + std::abs(app[i]))) << "m=" << m;
        if (n0 < d2 / 100.0f && i >= 2 * static_cast<std::size_t>(m)) {  // not the two far-out symbols
          EXPECT_LE(std::abs(app[i] - max_log[i]), 1e-2 * std::abs(max_log[i])) << "m=" << m;
        }
      }
    }
  }
}

TEST(QamDemapper, LlrsDoNotDependOnWhereTheSymbolSitsInTheInput) {
  // Batch invariance (DESIGN §3): a symbol's LLRs are bit-identical alone, at any offset, in any block.
  for (Modulation mod : {Modulation::qam16, Modulation::qam1024}) {
    const auto m = static_cast<std::size_t>(bits_per_symbol(mod));
    const auto y = received(mod, 203, 0.05f, 13);
    std::vector<float> noise_var(y.size());
    for (std::size_t s = 0; s < y.size(); ++s) noise_var[s] = 0.02f + 0.001f * static_cast<float>(s);
    for (DemapMethod method : kMethods) {
      const auto demapper = make_demapper(mod, method);
      std::vector<float> whole(y.size() * m);
      demapper->demap(y, noise_var, whole);
      for (std::size_t offset : {std::size_t{1}, std::size_t{63}, std::size_t{64}, std::size_t{150}}) {
        const std::size_t count = y.size() - offset;
        std::vector<float> part(count * m);
        demapper->demap(std::span(y).subspan(offset), std::span(noise_var).subspan(offset), part);
        for (std::size_t i = 0; i < part.size(); ++i) ASSERT_EQ(part[i], whole[offset * m + i]);
      }
      std::vector<float> single(m);
      for (std::size_t s = 0; s < y.size(); s += 17) {
        demapper->demap(std::span(y).subspan(s, 1), std::span(noise_var).subspan(s, 1), single);
        for (std::size_t i = 0; i < m; ++i) ASSERT_EQ(single[i], whole[s * m + i]);
      }
    }
  }
}

TEST(QamDemapper, DemapAndMapMakeNoHeapAllocation) {
  {  // the counter sees allocations at all
    const long before = g_allocations.load();
    auto probe = std::make_unique<std::vector<float>>(100);
    EXPECT_GT(g_allocations.load(), before);
  }
  for (Modulation mod : kAll) {
    const auto y = received(mod, 1000, 0.1f, 17);
    const std::vector<float> noise_var(y.size(), 0.1f);
    std::vector<float> llr(y.size() * static_cast<std::size_t>(bits_per_symbol(mod)));
    std::vector<std::uint8_t> bits(llr.size(), 1);
    std::vector<cf32> symbols(y.size());
    const Mapper mapper(mod);
    for (DemapMethod method : kMethods) {
      const auto demapper = make_demapper(mod, method);
      const long before = g_allocations.load();
      demapper->demap(y, noise_var, llr);
      mapper.map(bits, symbols);
      EXPECT_EQ(g_allocations.load(), before);
    }
  }
}

TEST(QamDemapper, HugeNoiseGivesSmallFiniteLlrsAndBadSizesThrow) {
  const auto demapper = make_demapper(Modulation::qam256, DemapMethod::app);
  const std::vector<cf32> y{{0.3f, -0.7f}, {2.0f, 1.0f}};
  const std::vector<float> noise_var{1e6f, 1e6f};
  std::vector<float> llr(16);
  demapper->demap(y, noise_var, llr);
  for (float l : llr) {
    EXPECT_TRUE(std::isfinite(l));
    EXPECT_LT(std::abs(l), 1e-4f);  // |Δ| ≤ ~10 (squared distances) over N0 = 1e6
  }
  std::vector<float> short_llr(15);
  EXPECT_THROW(demapper->demap(y, noise_var, short_llr), std::invalid_argument);
  EXPECT_THROW(demapper->demap(y, std::span(noise_var).first(1), llr), std::invalid_argument);
}

// N0 at or below the 1e-20 floor, and NaN, count as the floor; above it, N0 is used as given (+inf
// included). The floor is applied on bit patterns in the vectorised load, so its boundaries and the
// negative, zero and NaN cases are checked one by one.
TEST(QamDemapper, NoiseVarianceBelowTheFloorCountsAsTheFloor) {
  constexpr float kFloor = 1e-20f;
  constexpr float kInf = std::numeric_limits<float>::infinity();
  constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
  const std::vector<float> floored{0.0f, -0.0f, -1.0f, -kInf, 1e-40f, std::nextafter(kFloor, 0.0f), kNaN, -kNaN};
  for (Modulation mod : kAll) {
    const auto m = static_cast<std::size_t>(bits_per_symbol(mod));
    for (DemapMethod method : kMethods) {
      const auto demapper = make_demapper(mod, method);
      // One symbol per N0 under test, the same y everywhere, so equal N0 must give equal LLRs.
      const auto demap_at = [&](float n0) {
        const std::vector<cf32> y(3, cf32{0.31f, -0.27f});
        const std::vector<float> noise_var(3, n0);
        std::vector<float> llr(3 * m);
        demapper->demap(y, noise_var, llr);
        return std::vector<float>(llr.begin(), llr.begin() + static_cast<std::ptrdiff_t>(m));
      };
      const std::vector<float> at_floor = demap_at(kFloor);
      for (float l : at_floor) ASSERT_TRUE(std::isfinite(l)) << "m=" << m;
      for (float n0 : floored) EXPECT_EQ(demap_at(n0), at_floor) << "m=" << m << " N0=" << n0;
      if (method == DemapMethod::max_log) {
        // max-log is (min0 - min1)/N0: doubling N0 halves every LLR exactly; +inf gives zeros.
        const std::vector<float> at_twice = demap_at(2.0f * kFloor);
        const std::vector<float> at_inf = demap_at(kInf);
        for (std::size_t i = 0; i < m; ++i) {
          EXPECT_EQ(at_twice[i], 0.5f * at_floor[i]) << "m=" << m << " bit " << i;
          EXPECT_EQ(at_inf[i], 0.0f) << "m=" << m << " bit " << i;
        }
      }
    }
  }
}
