// Runtime SIMD dispatch (sixg/phy/simd/kernel_target.h): the target API (names, availability,
// SIXG_SIMD), and the contract that makes dispatch safe: every hot kernel gives bit-identical results
// whichever copy runs. Each kernel is run on the same deterministic inputs under KernelTarget::baseline
// (plain x86-64 / SSE2 in a portable build) and KernelTarget::avx2, and the outputs are compared byte
// for byte. The sizes are chosen to reach the vector tails (odd lengths, fft sizes that are not
// multiples of 8, 16 or 32) and each kernel's special paths (LoS, Doppler rank > 1, stream chunks,
// staged columns, the generic and the one-sweep LDPC layer kernels).
//
// The comparisons need two copies: a native build (or a CPU without AVX2) has only one, and they skip.
#include "sixg/phy/simd/kernel_target.h"

#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "sixg/phy/channel/apply_channel.h"
#include "sixg/phy/channel/tdl_channel.h"
#include "sixg/phy/channel/tdl_profile.h"
#include "sixg/phy/detection/linear_filter.h"
#include "sixg/phy/detection/subcarrier_batch_detector.h"
#include "sixg/phy/estimation/ls_channel_estimator.h"
#include "sixg/phy/grid/resource_grid.h"
#include "sixg/phy/ldpc/ldpc_decoder.h"
#include "sixg/phy/ldpc/ldpc_encoder.h"
#include "sixg/phy/ldpc/ldpc_rate_matcher.h"
#include "sixg/phy/random/random_stream.h"

using namespace sixg::phy;
using sixg::phy::simd::KernelTarget;

namespace {

namespace simd = sixg::phy::simd;

// Read during static initialisation, before any test selects a target: what the program starts with.
const KernelTarget kTargetAtStart = simd::active_target();

KernelTarget best_available() {
  return simd::target_available(KernelTarget::avx2) ? KernelTarget::avx2 : KernelTarget::baseline;
}

/// Re-selects, on destruction, the target that was active on construction, so that no test leaves
/// another one running a target it did not choose.
class RestoreTarget {
 public:
  RestoreTarget() : saved_(simd::active_target()) {}
  ~RestoreTarget() { simd::select_target(saved_); }
  RestoreTarget(const RestoreTarget&) = delete;
  RestoreTarget& operator=(const RestoreTarget&) = delete;

 private:
  KernelTarget saved_;
};

/// Sets (or unsets) SIXG_SIMD for its lifetime and puts back the previous value (or absence).
class ScopedSimdVariable {
 public:
  explicit ScopedSimdVariable(const char* value) {
    if (const char* old = std::getenv(kName)) saved_ = old;
    if (value == nullptr) {
      unsetenv(kName);
    } else {
      setenv(kName, value, 1);
    }
  }
  ~ScopedSimdVariable() {
    if (saved_) {
      setenv(kName, saved_->c_str(), 1);
    } else {
      unsetenv(kName);
    }
  }
  ScopedSimdVariable(const ScopedSimdVariable&) = delete;
  ScopedSimdVariable& operator=(const ScopedSimdVariable&) = delete;

 private:
  static constexpr const char* kName = "SIXG_SIMD";
  std::optional<std::string> saved_;
};

/// The message of the std::invalid_argument that select_target_from_environment() throws, or "" when
/// it throws nothing (any other exception fails the test).
std::string environment_error() {
  try {
    simd::select_target_from_environment();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

// ---- bitwise comparison ------------------------------------------------------------------------

/// The bytes of a value in hex, in memory order: values that print alike may differ in their last bit.
template <class T>
std::string hex_bytes(const T& value) {
  unsigned char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  std::string out;
  for (const unsigned char b : bytes) {
    out += "0123456789abcdef"[b >> 4];
    out += "0123456789abcdef"[b & 15];
  }
  return out;
}

/// Success when both spans hold the same bytes; otherwise how many elements differ and the first one.
template <class T>
testing::AssertionResult same_bits(std::span<const T> baseline, std::span<const T> avx2) {
  static_assert(std::is_trivially_copyable_v<T>);
  if (baseline.size() != avx2.size()) {
    return testing::AssertionFailure() << "sizes differ: " << baseline.size() << " vs " << avx2.size();
  }
  if (baseline.empty() || std::memcmp(baseline.data(), avx2.data(), baseline.size_bytes()) == 0) {
    return testing::AssertionSuccess();
  }
  std::size_t mismatches = 0, first = 0;
  for (std::size_t i = 0; i < baseline.size(); ++i) {
    if (std::memcmp(&baseline[i], &avx2[i], sizeof(T)) != 0 && mismatches++ == 0) first = i;
  }
  return testing::AssertionFailure() << mismatches << " of " << baseline.size() << " elements differ, first at "
                                     << first << ": baseline " << testing::PrintToString(baseline[first]) << " ["
                                     << hex_bytes(baseline[first]) << "], avx2 " << testing::PrintToString(avx2[first])
                                     << " [" << hex_bytes(avx2[first]) << "]";
}

template <class T>
testing::AssertionResult same_bits(const std::vector<T>& baseline, const std::vector<T>& avx2) {
  return same_bits(std::span<const T>(baseline), std::span<const T>(avx2));
}

/// Fraction of nonzero elements: a comparison of two untouched zero buffers would pass whatever the
/// kernels do, so each test also checks that the kernel really wrote its output.
template <class T>
double nonzero_fraction(const std::vector<T>& v) {
  std::size_t written = 0;
  for (const T& e : v) written += e != T{};
  return v.empty() ? 0.0 : static_cast<double>(written) / static_cast<double>(v.size());
}

/// run() once with the baseline copy active and once with the AVX2 copy, in that order.
template <class Run>
auto on_both_targets(const Run& run) {
  using Result = decltype(run());
  simd::select_target(KernelTarget::baseline);
  Result baseline = run();
  simd::select_target(KernelTarget::avx2);
  Result avx2 = run();
  return std::pair<Result, Result>{std::move(baseline), std::move(avx2)};
}

std::vector<cf32> random_complex(std::size_t n, std::uint64_t frame) {
  std::vector<cf32> v(n);
  RandomStream(77, 0, frame, RandomPurpose::test).fill_complex_normal(v);
  return v;
}

/// Fixture of the bitwise comparisons: skips where there is only one copy of the kernels, and puts
/// the target active before the test back afterwards.
class BothKernelCopies : public testing::Test {
 protected:
  void SetUp() override {
    if (!simd::avx2_copy_built()) {
      GTEST_SKIP() << "this build has no separate AVX2 copy of the kernels (native or non-x86-64 build): "
                      "both targets run the same code";
    }
    if (!simd::target_available(KernelTarget::avx2)) {
      GTEST_SKIP() << "this CPU cannot run the AVX2 copy of the kernels";
    }
  }

 private:
  RestoreTarget restore_;
};

}  // namespace

// ---- the target API ----------------------------------------------------------------------------

TEST(KernelTarget, NamesAndParsingRoundTrip) {
  EXPECT_EQ(simd::target_name(KernelTarget::baseline), "baseline");
  EXPECT_EQ(simd::target_name(KernelTarget::avx2), "avx2");
  for (const KernelTarget target : {KernelTarget::baseline, KernelTarget::avx2}) {
    EXPECT_EQ(simd::parse_target(simd::target_name(target)), target);
  }
  // Only the exact names: "auto" belongs to SIXG_SIMD, not to the target names.
  for (const char* name : {"sse", "sse2", "", "auto", "AVX2", "Baseline", "avx2 ", "avx512"}) {
    EXPECT_EQ(simd::parse_target(name), std::nullopt) << "'" << name << "'";
  }
}

TEST(KernelTarget, StartsWithTheBestAvailableTargetAndBaselineIsAlwaysSelectable) {
  const RestoreTarget restore;
  EXPECT_EQ(kTargetAtStart, best_available());
  EXPECT_TRUE(simd::target_available(KernelTarget::baseline));
  simd::select_target(KernelTarget::baseline);
  EXPECT_EQ(simd::active_target(), KernelTarget::baseline);
  if (simd::target_available(KernelTarget::avx2)) {
    simd::select_target(KernelTarget::avx2);
    EXPECT_EQ(simd::active_target(), KernelTarget::avx2);
  } else {
    EXPECT_THROW(simd::select_target(KernelTarget::avx2), std::invalid_argument);
    EXPECT_EQ(simd::active_target(), KernelTarget::baseline);
  }
  // A separate AVX2 copy exists only for x86-64 builds whose own flags stop short of AVX2.
#if !defined(__x86_64__) || defined(__AVX2__)
  EXPECT_FALSE(simd::avx2_copy_built());
#endif
}

TEST(KernelTarget, KernelIsaReportsTheActiveCopy) {
  const RestoreTarget restore;
#if defined(__x86_64__)
  if (simd::avx2_copy_built()) {
    simd::select_target(KernelTarget::baseline);
    EXPECT_EQ(simd::kernel_isa(), "sse2");
  }
  if (simd::target_available(KernelTarget::avx2)) {
    simd::select_target(KernelTarget::avx2);
    EXPECT_EQ(simd::kernel_isa(), "avx2");
  }
#else
  EXPECT_EQ(simd::kernel_isa(), "generic");
#endif
}

TEST(KernelTarget, EnvironmentUnsetEmptyOrAutoSelectsTheBestTarget) {
  const RestoreTarget restore;
  for (const char* value : {static_cast<const char*>(nullptr), "", "auto"}) {
    SCOPED_TRACE(value == nullptr ? "SIXG_SIMD unset" : std::string("SIXG_SIMD='") + value + "'");
    const ScopedSimdVariable variable(value);
    simd::select_target(KernelTarget::baseline);  // so that "keeps the best" must actively re-select it
    EXPECT_EQ(environment_error(), "");
    EXPECT_EQ(simd::active_target(), best_available());
  }
}

TEST(KernelTarget, EnvironmentNamesATarget) {
  const RestoreTarget restore;
  {
    const ScopedSimdVariable variable("baseline");
    simd::select_target(best_available());
    EXPECT_EQ(environment_error(), "");
    EXPECT_EQ(simd::active_target(), KernelTarget::baseline);
  }
  const ScopedSimdVariable variable("avx2");
  simd::select_target(KernelTarget::baseline);
  if (simd::target_available(KernelTarget::avx2)) {
    EXPECT_EQ(environment_error(), "");
    EXPECT_EQ(simd::active_target(), KernelTarget::avx2);
  } else {
    // Named but not available here: refused, not silently replaced.
    EXPECT_NE(environment_error(), "");
    EXPECT_EQ(simd::active_target(), KernelTarget::baseline);
  }
}

TEST(KernelTarget, EnvironmentRejectsAnUnknownValueNamingTheVariableAndTheAllowedValues) {
  const RestoreTarget restore;
  simd::select_target(KernelTarget::baseline);
  for (const char* value : {"sse", "AVX2", "Auto", "avx512", "baseline,avx2"}) {
    SCOPED_TRACE(std::string("SIXG_SIMD='") + value + "'");
    const ScopedSimdVariable variable(value);
    const std::string message = environment_error();
    ASSERT_NE(message, "") << "accepted";
    for (const char* part : {"SIXG_SIMD", value, "auto", "baseline", "avx2"}) {
      EXPECT_NE(message.find(part), std::string::npos) << "message '" << message << "' lacks '" << part << "'";
    }
    EXPECT_EQ(simd::active_target(), KernelTarget::baseline) << "a rejected value changed the target";
  }
}

TEST(KernelTarget, ScopedSimdVariableRestoresThePreviousValue) {
  // The guard the environment tests rely on: a value set before the test must survive them.
  const ScopedSimdVariable outer("baseline");
  {
    const ScopedSimdVariable inner(nullptr);
    EXPECT_EQ(std::getenv("SIXG_SIMD"), nullptr);
  }
  ASSERT_NE(std::getenv("SIXG_SIMD"), nullptr);
  EXPECT_STREQ(std::getenv("SIXG_SIMD"), "baseline");
}

// ---- RandomStream --------------------------------------------------------------------------------

// The vector kernels draw 16 blocks (64 floats, 2048 bits) per step; the sizes start and end inside
// blocks and groups, so the scalar heads and tails, whole groups and the tail that runs one more
// group (more than two blocks left) all occur, from different offsets in the stream.
const std::size_t kFillSizes[] = {1, 3, 64, 65, 200, 13, 7, 1031, 9, 130};

TEST_F(BothKernelCopies, RandomStreamFillNormalAndFillUniform) {
  const auto [baseline, avx2] = on_both_targets([] {
    std::vector<float> out;
    RandomStream rng(0x5eed5eed12345ull, 7, 3, RandomPurpose::noise);
    for (const std::size_t n : kFillSizes) {
      std::vector<float> normals(n), uniforms(n);
      rng.fill_normal(normals, 0.7f);
      rng.fill_uniform(uniforms);
      out.insert(out.end(), normals.begin(), normals.end());
      out.insert(out.end(), uniforms.begin(), uniforms.end());
    }
    // Long runs of one form, continuing inside the current block.
    for (const std::size_t n : kFillSizes) {
      std::vector<float> normals(n);
      rng.fill_normal(normals);
      out.insert(out.end(), normals.begin(), normals.end());
    }
    for (const std::size_t n : kFillSizes) {
      std::vector<float> uniforms(n);
      rng.fill_uniform(uniforms);
      out.insert(out.end(), uniforms.begin(), uniforms.end());
    }
    return out;
  });
  EXPECT_GT(nonzero_fraction(baseline), 0.99);
  EXPECT_TRUE(same_bits(baseline, avx2));
}

TEST_F(BothKernelCopies, RandomStreamFillComplexNormal) {
  const auto [baseline, avx2] = on_both_targets([] {
    std::vector<cf32> out;
    RandomStream rng(99, 0, 12, RandomPurpose::channel);
    for (const std::size_t n : kFillSizes) {
      std::vector<cf32> values(n);
      rng.fill_complex_normal(values, 2.5f);
      out.insert(out.end(), values.begin(), values.end());
    }
    return out;
  });
  EXPECT_GT(nonzero_fraction(baseline), 0.99);
  EXPECT_TRUE(same_bits(baseline, avx2));
}

TEST_F(BothKernelCopies, RandomStreamFillBits) {
  const auto [baseline, avx2] = on_both_targets([] {
    std::vector<std::uint8_t> out;
    RandomStream rng(1, 2, 3, RandomPurpose::info_bits);
    // Whole 2048-bit groups, whole 128-bit blocks after them, and partial blocks around both.
    for (const std::size_t n : {std::size_t{7}, std::size_t{2048 + 3 * 128 + 77}, std::size_t{300},
                                std::size_t{2 * 2048 - 5}, std::size_t{129}, std::size_t{4096 + 1}}) {
      std::vector<std::uint8_t> bits(n, 0xAA);  // a fill that is neither bit value
      rng.fill_bits(bits);
      out.insert(out.end(), bits.begin(), bits.end());
    }
    return out;
  });
  const double ones = nonzero_fraction(baseline);
  EXPECT_GT(ones, 0.45);
  EXPECT_LT(ones, 0.55);
  EXPECT_TRUE(same_bits(baseline, avx2));
}

// ---- TdlChannel ----------------------------------------------------------------------------------

TEST_F(BothKernelCopies, TdlChannelGenerate) {
  for (const ChannelModelKind kind :
       {ChannelModelKind::tdl_a, ChannelModelKind::tdl_c, ChannelModelKind::tdl_d, ChannelModelKind::tdl_e}) {
    const TdlProfile profile = tdl_profile(kind);
    // D and E carry the specular (LoS) term, A and C do not: both branches of the response kernel.
    EXPECT_EQ(profile.los, kind == ChannelModelKind::tdl_d || kind == ChannelModelKind::tdl_e);
    for (const double speed : {0.0, 50.0}) {
      for (const int fft : {72, 100}) {  // 144 and 200 floats: partial 64-float blocks
        SCOPED_TRACE(testing::Message() << "kind " << static_cast<int>(kind) << " speed " << speed << " fft " << fft);
        ChannelConfig config;
        config.kind = kind;
        config.num_rx_ant = 4;
        config.num_tx = 3;  // 12 pairs: one full group of 8 and a partial one
        config.fft_size = fft;
        config.num_ofdm_symbols = 14;
        config.speed = speed;
        const TdlChannel channel(config, profile);
        if (speed == 0.0) {
          EXPECT_EQ(channel.num_time_samples(), 1);
          EXPECT_EQ(channel.doppler_rank(), 1);
        } else {
          EXPECT_EQ(channel.num_time_samples(), 14);
          EXPECT_GT(channel.doppler_rank(), 1);
        }
        const std::size_t size =
            static_cast<std::size_t>(config.num_rx_ant) * config.num_tx * channel.num_time_samples() * fft;
        const auto [baseline, avx2] = on_both_targets([&] {
          std::vector<cf32> frames;  // two frames, one after the other
          for (const std::uint64_t frame : {5u, 6u}) {
            RandomStream rng(4321, 0, frame, RandomPurpose::channel);
            std::vector<cf32> h(size);
            channel.generate(rng, h);
            frames.insert(frames.end(), h.begin(), h.end());
          }
          return frames;
        });
        EXPECT_GT(nonzero_fraction(baseline), 0.99);
        EXPECT_TRUE(same_bits(baseline, avx2));
      }
    }
  }
}

// ---- apply_channel, apply_flat_channel -----------------------------------------------------------

TEST_F(BothKernelCopies, ApplyChannelStaticPerSymbolAndFlat) {
  const ChannelDims dims_list[] = {
      {3, 5, 14, 36},   // 36 subcarriers: one 32-subcarrier block and a tail of 4
      {2, 70, 3, 100},  // more streams than one 64-stream chunk: partial sums carried through y
      {4, 2, 7, 13},    // a row shorter than one block
  };
  for (const ChannelDims& d : dims_list) {
    SCOPED_TRACE(testing::Message() << "R " << d.num_rx_ant << " T " << d.num_tx << " L " << d.num_ofdm_symbols << " F "
                                    << d.fft_size);
    const std::size_t rt = static_cast<std::size_t>(d.num_rx_ant) * d.num_tx;
    const std::size_t x_size = static_cast<std::size_t>(d.num_tx) * d.num_ofdm_symbols * d.fft_size;
    const std::size_t y_size = static_cast<std::size_t>(d.num_rx_ant) * d.num_ofdm_symbols * d.fft_size;
    const std::vector<cf32> x = random_complex(x_size, 1);
    for (const int times : {1, d.num_ofdm_symbols}) {
      SCOPED_TRACE(testing::Message() << "time samples " << times);
      const std::vector<cf32> h = random_complex(rt * static_cast<std::size_t>(times) * d.fft_size, 2);
      const auto [baseline, avx2] = on_both_targets([&] {
        std::vector<cf32> y(y_size, cf32(3.0f, -3.0f));  // overwritten, never accumulated into
        apply_channel(h, times, x, y, d);
        return y;
      });
      EXPECT_GT(nonzero_fraction(baseline), 0.99);
      EXPECT_TRUE(same_bits(baseline, avx2));
    }
    const std::vector<cf32> h_rs = random_complex(rt, 3);
    const auto [baseline, avx2] = on_both_targets([&] {
      std::vector<cf32> y(y_size, cf32(3.0f, -3.0f));
      apply_flat_channel(h_rs, x, y, d);
      return y;
    });
    EXPECT_GT(nonzero_fraction(baseline), 0.99);
    EXPECT_TRUE(same_bits(baseline, avx2)) << "apply_flat_channel";
  }
}

// ---- LsChannelEstimator --------------------------------------------------------------------------

TEST_F(BothKernelCopies, LsChannelEstimatorNearestAndLinear) {
  struct Setup {
    GridConfig grid;
    int antennas;
  };
  // Pilot spacings (= streams) of 4, 3 (not a multiple of the 4-subcarrier vectors), 1 (runs of one
  // subcarrier) and 6; fft sizes 36, 99, 37, 102.
  const Setup setups[] = {
      {{4, 36, 6, {1, 4}}, 3}, {{3, 99, 5, {2}}, 2}, {{1, 37, 4, {0, 3}}, 2}, {{6, 102, 4, {1}}, 5}};
  for (const Setup& s : setups) {
    const ResourceGrid grid(s.grid, 17);
    const std::vector<cf32> y =
        random_complex(static_cast<std::size_t>(s.antennas) * s.grid.num_ofdm_symbols * s.grid.fft_size, 4);
    for (const InterpolationKind kind : {InterpolationKind::nearest, InterpolationKind::linear}) {
      SCOPED_TRACE(testing::Message() << "streams " << s.grid.num_streams << " fft " << s.grid.fft_size << " kind "
                                      << static_cast<int>(kind));
      struct Estimate {
        std::vector<cf32> h_hat;
        std::vector<float> err_var;
      };
      const auto [baseline, avx2] = on_both_targets([&] {
        LsChannelEstimator estimator(s.grid, grid.pilots(), s.antennas, kind);
        Estimate e{std::vector<cf32>(estimator.h_hat_size()), std::vector<float>(estimator.err_var_size())};
        estimator.estimate(y, 0.25f, e.h_hat, e.err_var);
        return e;
      });
      EXPECT_GT(nonzero_fraction(baseline.h_hat), 0.99);
      EXPECT_GT(nonzero_fraction(baseline.err_var), 0.99);
      EXPECT_TRUE(same_bits(baseline.h_hat, avx2.h_hat)) << "h_hat";
      EXPECT_TRUE(same_bits(baseline.err_var, avx2.err_var)) << "err_var";
    }
  }
}

// ---- SubcarrierBatchDetector ---------------------------------------------------------------------

namespace {

/// One channel group in the pipeline's layouts: LS estimate h [A, S, 2 pilots, F], err [S, 2, F],
/// rx grid y [A, 5 symbols, F], outputs x̂ and nv [S, C, F].
struct BatchProblem {
  static constexpr int kPilots = 2, kSymbols = 5;
  int antennas, streams, fft, columns;
  std::vector<cf32> h, y;
  std::vector<float> err;
  std::vector<std::ptrdiff_t> y_offset, x_offset;

  BatchProblem(int a, int s, int f, int c, std::uint64_t seed) : antennas(a), streams(s), fft(f), columns(c) {
    RandomStream rng(seed, 0, 0, RandomPurpose::test);
    h.resize(static_cast<std::size_t>(a) * s * kPilots * f);
    rng.fill_complex_normal(h);
    err.resize(static_cast<std::size_t>(s) * kPilots * f);
    rng.fill_uniform(err);
    for (float& e : err) e *= 0.05f;
    y.resize(static_cast<std::size_t>(a) * kSymbols * f);
    rng.fill_complex_normal(y);
    for (int col = 0; col < c; ++col) {
      y_offset.push_back(static_cast<std::ptrdiff_t>((col * 3 + 1) % kSymbols) * f);  // unevenly spaced, reused
      x_offset.push_back(static_cast<std::ptrdiff_t>(col) * f);
    }
  }
  [[nodiscard]] std::size_t output_size() const { return static_cast<std::size_t>(streams) * columns * fft; }

  struct Output {
    std::vector<cf32> x_hat;
    std::vector<float> nv;
  };
  /// Detects with `terms` channel terms (2: a time interpolation of both pilot symbols), with the LS
  /// error variances or perfect CSI.
  [[nodiscard]] Output detect(DetectorKind kind, int terms, bool with_err) const {
    Output out{std::vector<cf32>(output_size()), std::vector<float>(output_size())};
    ChannelGroupView g;
    g.h = h.data();
    g.ant_stride = static_cast<std::ptrdiff_t>(streams) * kPilots * fft;
    g.stream_stride = static_cast<std::ptrdiff_t>(kPilots) * fft;
    g.num_terms = terms;
    g.term_offset[1] = g.err_term_offset[1] = fft;
    g.weight[0] = terms == 2 ? 0.375f : 1.0f;
    g.weight[1] = terms == 2 ? 0.625f : 0.0f;
    g.err = with_err ? err.data() : nullptr;
    g.err_stream_stride = static_cast<std::ptrdiff_t>(kPilots) * fft;
    g.n0 = 0.1f;
    g.y = y.data();
    g.y_ant_stride = static_cast<std::ptrdiff_t>(kSymbols) * fft;
    g.y_column_offset = y_offset;
    g.x_hat = out.x_hat.data();
    g.nv = out.nv.data();
    g.x_stream_stride = static_cast<std::ptrdiff_t>(columns) * fft;
    g.x_column_offset = x_offset;
    SubcarrierBatchDetector detector(kind, antennas, streams, fft);
    detector.detect(g);
    return out;
  }
};

}  // namespace

TEST_F(BothKernelCopies, SubcarrierBatchDetectorAllKindsTermsAndColumnCounts) {
  struct Shape {
    int antennas, streams, fft, columns;
  };
  std::vector<Shape> shapes;
  for (const int fft : {13, 36, 100}) {  // none a multiple of the 8 lanes or of the 4-block stage
    for (const int columns : {5, 20}) shapes.push_back({8, 4, fft, columns});  // staged (<= 16) and not
  }
  shapes.push_back({5, 3, 36, 16});   // streams padded to the 4-wide tile
  shapes.push_back({12, 6, 20, 17});  // two tiles, the second partial
  for (const Shape& s : shapes) {
    const BatchProblem problem(s.antennas, s.streams, s.fft, s.columns,
                               static_cast<std::uint64_t>(s.fft * 100 + s.columns));
    for (const DetectorKind kind : {DetectorKind::lmmse, DetectorKind::zf, DetectorKind::mrc}) {
      for (const int terms : {1, 2}) {
        for (const bool with_err : {true, false}) {
          SCOPED_TRACE(testing::Message()
                       << "A " << s.antennas << " S " << s.streams << " fft " << s.fft << " columns " << s.columns
                       << " kind " << static_cast<int>(kind) << " terms " << terms << " err " << with_err);
          const auto [baseline, avx2] = on_both_targets([&] { return problem.detect(kind, terms, with_err); });
          EXPECT_GT(nonzero_fraction(baseline.x_hat), 0.99);
          EXPECT_GT(nonzero_fraction(baseline.nv), 0.99);
          EXPECT_TRUE(same_bits(baseline.x_hat, avx2.x_hat)) << "x_hat";
          EXPECT_TRUE(same_bits(baseline.nv, avx2.nv)) << "post-detection noise variance";
        }
      }
    }
  }
}

// The pipeline's LS path: LsChannelEstimator::estimate_pilots, then the detector expanding the LS
// values while staging (gathers in the AVX2 copy, lane-by-lane loads in the baseline one).
TEST_F(BothKernelCopies, SubcarrierBatchDetectorExpandingLsValues) {
  struct Setup {
    GridConfig grid;
    int antennas;
  };
  // Spacings 4, 3 and 6 with fft sizes 36, 99 and 102 (partial last blocks), 1 or 2 pilot symbols.
  const Setup setups[] = {{{4, 36, 6, {1, 4}}, 5}, {{3, 99, 5, {2}}, 4}, {{6, 102, 4, {1, 3}}, 7}};
  for (const Setup& s : setups) {
    const ResourceGrid grid(s.grid, 17);
    const int F = s.grid.fft_size, L = s.grid.num_ofdm_symbols, P = s.grid.num_pilot_symbols();
    const std::vector<cf32> y = random_complex(static_cast<std::size_t>(s.antennas) * L * F, 5);
    const std::vector<std::ptrdiff_t> offset{0, 2 * static_cast<std::ptrdiff_t>(F)};  // data symbols 0 and 2
    const std::vector<std::ptrdiff_t> x_offset{0, static_cast<std::ptrdiff_t>(F)};
    for (const InterpolationKind kind : {InterpolationKind::nearest, InterpolationKind::linear}) {
      for (const DetectorKind detector_kind : {DetectorKind::lmmse, DetectorKind::zf, DetectorKind::mrc}) {
        SCOPED_TRACE(testing::Message() << "streams " << s.grid.num_streams << " fft " << F << " kind "
                                        << static_cast<int>(kind) << " detector " << static_cast<int>(detector_kind));
        struct Out {
          std::vector<cf32> ls, x_hat;
          std::vector<float> nv;
        };
        const auto [baseline, avx2] = on_both_targets([&] {
          LsChannelEstimator estimator(s.grid, grid.pilots(), s.antennas, kind);
          const std::size_t x_size = static_cast<std::size_t>(s.grid.num_streams) * x_offset.size() * F;
          Out o{std::vector<cf32>(estimator.ls_size()), std::vector<cf32>(x_size), std::vector<float>(x_size)};
          std::vector<float> err(estimator.err_var_size());
          estimator.estimate_pilots(y, 0.25f, o.ls, err);
          ChannelGroupView g;
          g.ls = o.ls.data();
          g.interpolation = estimator.frequency_interpolation();
          g.ant_stride = static_cast<std::ptrdiff_t>(P) * F;
          g.num_terms = P;  // two pilots: a two-term time interpolation
          g.term_offset[1] = static_cast<std::ptrdiff_t>(P - 1) * F;
          g.weight[0] = P == 2 ? 0.25f : 1.0f;
          g.weight[1] = P == 2 ? 0.75f : 0.0f;
          g.err = err.data();
          g.err_stream_stride = static_cast<std::ptrdiff_t>(P) * F;
          g.err_term_offset[1] = g.term_offset[1];
          g.n0 = 0.25f;
          g.y = y.data();
          g.y_ant_stride = static_cast<std::ptrdiff_t>(L) * F;
          g.y_column_offset = offset;
          g.x_hat = o.x_hat.data();
          g.nv = o.nv.data();
          g.x_stream_stride = static_cast<std::ptrdiff_t>(x_offset.size()) * F;
          g.x_column_offset = x_offset;
          SubcarrierBatchDetector(detector_kind, s.antennas, s.grid.num_streams, F).detect(g);
          return o;
        });
        EXPECT_GT(nonzero_fraction(baseline.x_hat), 0.99);
        EXPECT_TRUE(same_bits(baseline.ls, avx2.ls)) << "LS values";
        EXPECT_TRUE(same_bits(baseline.x_hat, avx2.x_hat)) << "x_hat";
        EXPECT_TRUE(same_bits(baseline.nv, avx2.nv)) << "post-detection noise variance";
      }
    }
  }
}

// ---- LinearFilter --------------------------------------------------------------------------------

TEST_F(BothKernelCopies, LinearFilterApply) {
  struct Shape {
    int antennas, streams, columns;
    std::ptrdiff_t y_stride, x_stride;
  };
  // Column counts around the 32-column panel (1, 31, 37, 70, 100), rows with padding beyond them.
  const Shape shapes[] = {
      {32, 16, 37, 41, 39}, {7, 3, 70, 70, 73}, {12, 5, 1, 3, 2}, {5, 5, 100, 101, 100}, {8, 6, 31, 31, 33}};
  for (const Shape& s : shapes) {
    RandomStream rng(static_cast<std::uint64_t>(s.columns), 0, 0, RandomPurpose::test);
    Eigen::MatrixXcf h(s.antennas, s.streams);
    rng.fill_complex_normal(std::span<cf32>(h.data(), static_cast<std::size_t>(h.size())));
    std::vector<cf32> y(static_cast<std::size_t>(s.antennas * s.y_stride));
    rng.fill_complex_normal(y);
    const std::vector<float> err(static_cast<std::size_t>(s.streams), 0.01f);
    for (const DetectorKind kind : {DetectorKind::lmmse, DetectorKind::zf, DetectorKind::mrc}) {
      SCOPED_TRACE(testing::Message() << "A " << s.antennas << " S " << s.streams << " columns " << s.columns
                                      << " kind " << static_cast<int>(kind));
      const auto [baseline, avx2] = on_both_targets([&] {
        LinearFilter filter(kind, s.antennas, s.streams);
        filter.design(h, 0.05f, err);
        // The padding beyond the columns must be left alone by both copies alike.
        std::vector<cf32> x(static_cast<std::size_t>(s.streams * s.x_stride), cf32(-9.0f, 9.0f));
        filter.apply(y.data(), s.y_stride, s.columns, x.data(), s.x_stride);
        x.insert(x.end(), filter.weights().begin(), filter.weights().end());
        return x;
      });
      EXPECT_GT(nonzero_fraction(baseline), 0.99);
      EXPECT_TRUE(same_bits(baseline, avx2));
    }
  }
}

// ---- LdpcDecoder (fixed16) -----------------------------------------------------------------------

namespace {

/// Channel LLRs of one rate-matched, BPSK-modulated code block at Es/N0 `esno_db` (Sionna's sign).
std::vector<float> noisy_codeword_llrs(LdpcBaseGraph g, int z, int info_bits, int e_bits, double esno_db,
                                       std::uint64_t frame) {
  const LdpcEncoder encoder(g, z);
  const LdpcRateMatcher matcher(g, z, info_bits, e_bits, 1);
  std::vector<std::uint8_t> info(static_cast<std::size_t>(info_bits));
  RandomStream(21, 0, frame, RandomPurpose::info_bits).fill_bits(info);
  std::vector<std::uint8_t> codeword(static_cast<std::size_t>(encoder.codeword_length()));
  encoder.encode(info, codeword);
  std::vector<std::uint8_t> sent(static_cast<std::size_t>(e_bits));
  matcher.rate_match(codeword, sent);
  const double sigma2 = 1.0 / (2.0 * std::pow(10.0, esno_db / 10.0));
  std::vector<float> noise(sent.size());
  RandomStream(21, 0, frame, RandomPurpose::noise).fill_normal(noise, static_cast<float>(std::sqrt(sigma2)));
  std::vector<float> llr(sent.size());
  for (std::size_t i = 0; i < sent.size(); ++i) {
    llr[i] = static_cast<float>(-2.0 * ((sent[i] ? -1.0 : 1.0) + noise[i]) / sigma2);
  }
  std::vector<float> codeword_llr(codeword.size());
  matcher.rate_recover(llr, codeword_llr);
  return codeword_llr;
}

struct Decoded {
  std::vector<std::uint8_t> info;
  int iterations = 0;
  std::vector<float> app;
  bool parity_holds = false;
};

}  // namespace

TEST_F(BothKernelCopies, LdpcDecoderFixedPointMinSum) {
  struct Setup {
    LdpcBaseGraph graph;
    int z, info_bits, e_bits;
  };
  // Zc = 13, 36, 40 are not multiples of 16 (the generic layer kernel; 40 is one of 8), 48 and 384 are
  // (the one-sweep kernel); fillers, punctured columns and unreceived extension rows throughout.
  const Setup setups[] = {{LdpcBaseGraph::bg1, 13, 270, 540},
                          {LdpcBaseGraph::bg2, 36, 300, 1700},
                          {LdpcBaseGraph::bg1, 40, 850, 1900},
                          {LdpcBaseGraph::bg2, 48, 400, 900},
                          {LdpcBaseGraph::bg1, 384, 8448, 16896}};
  constexpr int kMaxIterations = 10;
  int stopped_early = 0, ran_all = 0;  // over the early-stop decodes: both outcomes must occur
  for (const Setup& s : setups) {
    // Below and above the decoding threshold: decisions still changing, and converging early.
    for (const double esno_db : {-4.0, 0.0}) {
      const std::vector<float> llr =
          noisy_codeword_llrs(s.graph, s.z, s.info_bits, s.e_bits, esno_db, static_cast<std::uint64_t>(s.z));
      for (const LdpcCheckUpdate update : {LdpcCheckUpdate::normalized_min_sum, LdpcCheckUpdate::offset_min_sum}) {
        for (const bool early_stop : {false, true}) {
          SCOPED_TRACE(testing::Message() << "Zc " << s.z << " Es/N0 " << esno_db << " update "
                                          << static_cast<int>(update) << " early stop " << early_stop);
          LdpcDecoderOptions options;
          options.check_update = update;
          options.arithmetic = LdpcArithmetic::fixed16;
          options.iterations = kMaxIterations;
          options.early_stop = early_stop;
          const auto [baseline, avx2] = on_both_targets([&] {
            LdpcDecoder decoder(s.graph, s.z, options);
            Decoded d;
            d.info.resize(static_cast<std::size_t>(s.info_bits));
            d.iterations = decoder.decode(llr, d.info);
            d.app.resize(llr.size());
            decoder.a_posteriori_llrs(d.app);
            d.parity_holds = decoder.parity_checks_hold();
            return d;
          });
          if (early_stop) ++(baseline.iterations < kMaxIterations ? stopped_early : ran_all);
          EXPECT_EQ(baseline.iterations, avx2.iterations);
          EXPECT_EQ(baseline.parity_holds, avx2.parity_holds);
          EXPECT_TRUE(same_bits(baseline.info, avx2.info)) << "decoded bits";
          // Bits neither received nor decoded (unreceived extension parities) stay 0; all others carry a value.
          EXPECT_GE(nonzero_fraction(baseline.app), 0.9 * nonzero_fraction(llr));
          EXPECT_TRUE(same_bits(baseline.app, avx2.app)) << "a-posteriori LLRs";
        }
      }
    }
  }
  EXPECT_GT(stopped_early, 0) << "no decode stopped early: the early-stop path went untested";
  EXPECT_GT(ran_all, 0) << "every decode converged: no decode compared many changing iterations";
}
