// Per-axis (PAM) demapping of square QAM; see demapper.h for the contract.
//
// Symbols are processed in blocks of kBlockSymbols. A block is unpacked into 2·kBlockSymbols real
// observations t = 2·s + axis (Re, Im of symbol s), and every kernel below is a loop over those
// observations with a compile-time trip count, which the compiler vectorises. A partial last block is
// padded, so every symbol goes through exactly the same instructions wherever it sits in the input
// (the batch-invariance rule of DESIGN §3).
#include "sixg/phy/qam/demapper.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

#include "sixg/phy/qam/constellation.h"

namespace sixg::phy {

namespace {

constexpr float kMinNoiseVar = 1e-20f;
constexpr std::size_t kBlockSymbols = 64;
constexpr std::size_t kBlockReals = 2 * kBlockSymbols;

/// exp(z) for z ≤ 0, branch-free so that it vectorises (libm's expf does not without -ffast-math).
/// z = n·ln2 + r with |r| ≤ ln2/2 (Cody–Waite split of ln2), e^r by its degree-7 Taylor polynomial
/// (truncation < 6e-9 relative, below float rounding), 2^n through the exponent field. Arguments
/// below -87 are clamped: e^-87 ≈ 1.6e-38 is negligible next to the 1 every APP sum below contains.
/// The clamp and the selects are done on the bit patterns: GCC (with its default -ftrapping-math)
/// will not if-convert a float compare feeding further float arithmetic, and would not vectorise.
inline float exp_nonpositive(float z) {
  constexpr float kLog2e = 1.44269504f;
  constexpr float kLn2Hi = 0.693359375f;      // ln2 rounded to 10 significant bits: n·kLn2Hi is exact
  constexpr float kLn2Lo = -2.12194440e-4f;   // ln2 - kLn2Hi
  constexpr float kRoundShift = 12582912.0f;  // 1.5·2^23: adding it rounds to an integer
  // For z in {±0} ∪ negative floats the unsigned bit pattern grows with |z|: min() is max(z, -87).
  constexpr auto kLowestBits = std::bit_cast<std::uint32_t>(-87.0f);
  const auto z_bits = std::bit_cast<std::uint32_t>(z);
  z = std::bit_cast<float>(z_bits < kLowestBits ? z_bits : kLowestBits);
  const float shifted = z * kLog2e + kRoundShift;
  const float n = shifted - kRoundShift;
  const auto n_int = std::bit_cast<std::int32_t>(shifted) - std::bit_cast<std::int32_t>(kRoundShift);
  float r = z - n * kLn2Hi;
  r = r - n * kLn2Lo;
  float p = 1.0f / 5040.0f;
  p = p * r + 1.0f / 720.0f;
  p = p * r + 1.0f / 120.0f;
  p = p * r + 1.0f / 24.0f;
  p = p * r + 1.0f / 6.0f;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  const auto two_to_n = std::bit_cast<float>(static_cast<std::uint32_t>(n_int + 127) << 23);
  return p * two_to_n;
}

/// ln(v) for a positive normal v, branch-free: v = 2^e·f with f in [√½, √2), ln f = 2·atanh(u),
/// u = (f-1)/(f+1), |u| ≤ 0.172, by its odd series to u^9 (truncation < 1e-9).
inline float log_positive(float v) {
  constexpr float kLn2 = 0.693147181f;
  constexpr std::uint32_t kMantissa = 0x007FFFFFu;
  constexpr std::uint32_t kSqrt2Mantissa = std::bit_cast<std::uint32_t>(1.41421356f) & kMantissa;
  const auto bits = std::bit_cast<std::uint32_t>(v);
  const std::uint32_t mantissa = bits & kMantissa;
  const std::uint32_t high = mantissa > kSqrt2Mantissa ? 1u : 0u;  // f = 1.mantissa above √2: halve it
  const float f = std::bit_cast<float>(mantissa | ((127u - high) << 23));
  const auto exponent = static_cast<std::int32_t>((bits >> 23) + high) - 127;
  const float u = (f - 1.0f) / (f + 1.0f);
  const float u2 = u * u;
  float series = 2.0f / 9.0f;
  series = series * u2 + 2.0f / 7.0f;
  series = series * u2 + 2.0f / 5.0f;
  series = series * u2 + 2.0f / 3.0f;
  series = series * u2 + 2.0f;
  return static_cast<float>(exponent) * kLn2 + series * u;
}

/// n0 > kMinNoiseVar ? n0 : kMinNoiseVar (so NaN and everything below the floor give the floor), on
/// the bit patterns: GCC does not if-convert the float compare (see exp_nonpositive), and the scalar
/// branch it leaves in the load loop used to take most of a QPSK demap. As signed integers, the
/// patterns of the floats above kMinNoiseVar up to +inf are exactly those in (floor, +inf]; negative
/// floats are negative integers and NaNs lie above +inf.
inline float floor_noise_var(float n0) {
  constexpr auto kFloorBits = std::bit_cast<std::int32_t>(kMinNoiseVar);
  constexpr auto kInfinityBits = std::bit_cast<std::int32_t>(std::numeric_limits<float>::infinity());
  const auto bits = std::bit_cast<std::int32_t>(n0);
  // A mask rather than ?: - GCC would otherwise branch around the division to fold 1/kMinNoiseVar.
  const std::int32_t keep = -static_cast<std::int32_t>((bits > kFloorBits) & (bits <= kInfinityBits));
  return std::bit_cast<float>((bits & keep) | (kFloorBits & ~keep));
}

/// One block, unpacked: 2·x and 1/N0 per real observation, and the LLR of each axis bit.
template <int K>
struct Block {
  alignas(64) float two_x[kBlockReals];   // x = Re or Im of the symbol
  alignas(64) float inv_n0[kBlockReals];  // 1/N0 of the observation's symbol
  alignas(64) float llr[K][kBlockReals];  // per axis bit j and observation
};

/// The LLRs of the K axis bits of every observation of a block.
///
/// "Distance" to level a is d = a·(a - 2x) = (x-a)² - x²: the common x² cancels in every LLR, and
/// dropping it keeps far-out observations well conditioned. For each axis bit j and value b the
/// nearest level of the class {levels with c_j = b} gives the max-log LLR (min_0 - min_1)/N0; APP adds
/// ln(sum_1/sum_0) with sum_b = Σ_{class b} exp(-(d - min_b)/N0), each sum taken relative to its own
/// class's nearest level so that it lies in [1, L/2]: no overflow, no underflow, whatever N0.
///
/// The level and bit loops are unrolled completely (K and the labels are compile-time constants), so
/// the per-class minima and sums live in registers and the loop over observations vectorises.
template <int K, bool kApp>
void axis_llrs(const std::array<float, std::size_t{1} << K>& levels, Block<K>& block) {
  constexpr int kLevels = 1 << K;
  for (std::size_t t = 0; t < kBlockReals; ++t) {
    const float two_x = block.two_x[t];
    float nearest[2][K];
#pragma GCC unroll 8
    for (int j = 0; j < K; ++j) {
      nearest[0][j] = std::numeric_limits<float>::max();
      nearest[1][j] = std::numeric_limits<float>::max();
    }
#pragma GCC unroll 32
    for (int level = 0; level < kLevels; ++level) {
      const float a = levels[static_cast<std::size_t>(level)];
      const float d = a * (a - two_x);
#pragma GCC unroll 8
      for (int j = 0; j < K; ++j) {
        const int b = (level >> (K - 1 - j)) & 1;
        nearest[b][j] = d < nearest[b][j] ? d : nearest[b][j];
      }
    }
    if constexpr (kApp) {
      float sum[2][K];
#pragma GCC unroll 8
      for (int j = 0; j < K; ++j) {
        sum[0][j] = 0.0f;
        sum[1][j] = 0.0f;
      }
#pragma GCC unroll 32
      for (int level = 0; level < kLevels; ++level) {
        const float a = levels[static_cast<std::size_t>(level)];
        const float d = a * (a - two_x);
#pragma GCC unroll 8
        for (int j = 0; j < K; ++j) {
          const int b = (level >> (K - 1 - j)) & 1;
          sum[b][j] += exp_nonpositive((nearest[b][j] - d) * block.inv_n0[t]);
        }
      }
#pragma GCC unroll 8
      for (int j = 0; j < K; ++j) {
        block.llr[j][t] = (nearest[0][j] - nearest[1][j]) * block.inv_n0[t] + log_positive(sum[1][j] / sum[0][j]);
      }
    } else {
#pragma GCC unroll 8
      for (int j = 0; j < K; ++j) block.llr[j][t] = (nearest[0][j] - nearest[1][j]) * block.inv_n0[t];
    }
  }
}

template <int K>
class AxisDemapper final : public Demapper {
 public:
  static constexpr int kLevels = 1 << K;

  AxisDemapper(Modulation modulation, DemapMethod method) : modulation_(modulation), method_(method) {
    const auto levels = Constellation::of(modulation).axis_levels();
    for (int l = 0; l < kLevels; ++l) levels_[static_cast<std::size_t>(l)] = levels[static_cast<std::size_t>(l)];
  }

  [[nodiscard]] Modulation modulation() const override { return modulation_; }
  [[nodiscard]] DemapMethod method() const override { return method_; }

  void demap(std::span<const cf32> symbols, std::span<const float> noise_var, std::span<float> llr) const override {
    constexpr std::size_t m = 2 * K;
    if (noise_var.size() != symbols.size() || llr.size() != m * symbols.size()) {
      throw std::invalid_argument("Demapper::demap: " + std::to_string(symbols.size()) + " symbols need as many " +
                                  "noise variances (got " + std::to_string(noise_var.size()) + ") and " +
                                  std::to_string(m * symbols.size()) + " LLRs (got " + std::to_string(llr.size()) +
                                  ")");
    }
    Block<K> block;
    for (std::size_t first = 0; first < symbols.size(); first += kBlockSymbols) {
      const std::size_t count = std::min(kBlockSymbols, symbols.size() - first);
      load(symbols.subspan(first, count), noise_var.subspan(first, count), block);
      if (method_ == DemapMethod::app) {
        axis_llrs<K, true>(levels_, block);
      } else {
        axis_llrs<K, false>(levels_, block);
      }
      store(block, llr.subspan(first * m, count * m));
    }
  }

 private:
  static void load(std::span<const cf32> symbols, std::span<const float> noise_var, Block<K>& block) {
    // A complex<float> is two contiguous floats (guaranteed by [complex.numbers]).
    const auto* x = reinterpret_cast<const float*>(symbols.data());
    const std::size_t count = symbols.size();
    for (std::size_t t = 0; t < 2 * count; ++t) block.two_x[t] = 2.0f * x[t];
    // One division per symbol, written to both of its observations. The loops are element-wise, so
    // vectorised and scalar iterations give the same bits.
    for (std::size_t s = 0; s < count; ++s) {
      const float inv_n0 = 1.0f / floor_noise_var(noise_var[s]);
      block.inv_n0[2 * s] = inv_n0;
      block.inv_n0[2 * s + 1] = inv_n0;
    }
    for (std::size_t t = 2 * count; t < kBlockReals; ++t) {  // padding of a partial block, never stored
      block.two_x[t] = 0.0f;
      block.inv_n0[t] = 1.0f;
    }
  }

  /// Axis bit j of observation t = 2s + axis is symbol bit b(2j + axis).
  static void store(const Block<K>& block, std::span<float> llr) {
    constexpr std::size_t m = 2 * K;
    const std::size_t count = llr.size() / m;
    for (std::size_t s = 0; s < count; ++s) {
      float* out = llr.data() + s * m;
      for (int j = 0; j < K; ++j) {
        out[2 * j] = block.llr[j][2 * s];
        out[2 * j + 1] = block.llr[j][2 * s + 1];
      }
    }
  }

  Modulation modulation_;
  DemapMethod method_;
  std::array<float, kLevels> levels_{};
};

}  // namespace

std::unique_ptr<Demapper> make_demapper(Modulation modulation, DemapMethod method) {
  switch (modulation) {
    case Modulation::qpsk: return std::make_unique<AxisDemapper<1>>(modulation, method);
    case Modulation::qam16: return std::make_unique<AxisDemapper<2>>(modulation, method);
    case Modulation::qam64: return std::make_unique<AxisDemapper<3>>(modulation, method);
    case Modulation::qam256: return std::make_unique<AxisDemapper<4>>(modulation, method);
    case Modulation::qam1024: return std::make_unique<AxisDemapper<5>>(modulation, method);
  }
  throw std::invalid_argument("make_demapper: unknown modulation");
}

}  // namespace sixg::phy
