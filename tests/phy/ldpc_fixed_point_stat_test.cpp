// The int16 fixed-point min-sum decoder (LdpcArithmetic::fixed16, the default) against the float32 one
// on the same frames: BG1 N = 12288 K = 6144 (the default scenario's code), BPSK over AWGN, 10
// iterations, no early stop, offset (0.5) and normalised (0.75) min-sum, two Eb/N0 points each on the
// waterfall.
//
// Criterion (paired, McNemar): of the frames where exactly one decoder fails, let b be those only the
// fixed-point decoder fails and c those only the float one fails. If both had the same frame-error rate,
// b would be Binomial(b + c, 1/2); the test requires b - c <= 3 sqrt(b + c) (one-sided 99.9 %: no loss),
// summed over the two points of each decoder (a quantisation loss moves both the same way). Pairing on
// the same noise cancels the channel's randomness, so this is far sharper than comparing two BLERs.
// Each point runs to 150 float errors (>= 60 required, so that the test has power): a loss of 0.02 dB,
// about +25 % BLER on this waterfall, would give b - c of about 0.25 · 300 = 75 against a bound of
// ~3 sqrt(b + c) ~ 40. Measured: OMS b - c = 64 - 64; NMS 57 - 118 (fixed point better: its
// normalisation rounds down). Runtime ~11 s in Release on one core.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <vector>

#include "sixg/phy/ldpc/ldpc_stream_codec.h"
#include "sixg/phy/random/random_stream.h"

using namespace sixg::phy;

namespace {

constexpr int kInfoBits = 6144;
constexpr int kCodedBits = 12288;
constexpr std::uint64_t kSeed = 20261126;
constexpr long kTargetFloatErrors = 150;  // per point
constexpr long kMinFloatErrors = 60;      // below this the test would have little power
constexpr long kMaxFrames = 8000;

LdpcDecoderOptions options_for(LdpcCheckUpdate update, LdpcArithmetic arithmetic) {
  LdpcDecoderOptions o;
  o.check_update = update;
  o.arithmetic = arithmetic;
  o.offset = 0.5f;
  o.normalization = 0.75f;
  o.iterations = 10;
  o.early_stop = false;
  return o;
}

struct Paired {
  long frames = 0, fixed_errors = 0, float_errors = 0;
  long only_fixed = 0, only_float = 0;  // discordant frames
};

Paired run_point(LdpcCheckUpdate update, double ebno_db, std::uint32_t point) {
  LdpcStreamCodec fixed(kInfoBits, kCodedBits, 2, options_for(update, LdpcArithmetic::fixed16));
  LdpcStreamCodec floating(kInfoBits, kCodedBits, 2, options_for(update, LdpcArithmetic::float32));
  const double rate = static_cast<double>(kInfoBits) / kCodedBits;
  const double sigma2 = 1.0 / (2.0 * rate * std::pow(10.0, ebno_db / 10.0));
  std::vector<std::uint8_t> info(kInfoBits), coded(kCodedBits), decoded(kInfoBits);
  std::vector<float> noise(kCodedBits), llr(kCodedBits);
  Paired p;
  while (p.float_errors < kTargetFloatErrors && p.frames < kMaxFrames) {
    const auto frame = static_cast<std::uint64_t>(p.frames);
    RandomStream(kSeed, point, frame, RandomPurpose::info_bits).fill_bits(info);
    fixed.encode(info, coded);
    RandomStream(kSeed, point, frame, RandomPurpose::noise).fill_normal(noise, static_cast<float>(std::sqrt(sigma2)));
    for (int i = 0; i < kCodedBits; ++i) {
      llr[i] = static_cast<float>(-2.0 * ((coded[i] ? -1.0 : 1.0) + noise[i]) / sigma2);
    }
    fixed.decode(llr, decoded);
    const bool fixed_failed = decoded != info;
    floating.decode(llr, decoded);
    const bool float_failed = decoded != info;
    ++p.frames;
    p.fixed_errors += fixed_failed;
    p.float_errors += float_failed;
    p.only_fixed += fixed_failed && !float_failed;
    p.only_float += float_failed && !fixed_failed;
  }
  return p;
}

struct Case {
  const char* name;
  LdpcCheckUpdate update;
  double ebno_db[2];
};

}  // namespace

class LdpcFixedPointVsFloat : public testing::TestWithParam<Case> {};

TEST_P(LdpcFixedPointVsFloat, NoFrameErrorRateLossOnTheSameNoise) {
  const Case& c = GetParam();
  long only_fixed = 0, only_float = 0;
  for (int i = 0; i < 2; ++i) {
    const Paired p = run_point(c.update, c.ebno_db[i], static_cast<std::uint32_t>(i + 1));
    std::printf("%s %.2f dB: %ld frames, BLER fixed16 %.3e (%ld) float32 %.3e (%ld), only fixed %ld, only float %ld\n",
                c.name, c.ebno_db[i], p.frames, static_cast<double>(p.fixed_errors) / p.frames, p.fixed_errors,
                static_cast<double>(p.float_errors) / p.frames, p.float_errors, p.only_fixed, p.only_float);
    EXPECT_GE(p.float_errors, kMinFloatErrors) << "too few errors at " << c.ebno_db[i] << " dB for a sharp test";
    only_fixed += p.only_fixed;
    only_float += p.only_float;
  }
  const double bound = 3.0 * std::sqrt(static_cast<double>(only_fixed + only_float));
  std::printf("%s: only fixed %ld - only float %ld = %ld, bound %.1f\n", c.name, only_fixed, only_float,
              only_fixed - only_float, bound);
  EXPECT_LE(static_cast<double>(only_fixed - only_float), bound);
}

INSTANTIATE_TEST_SUITE_P(MinSum, LdpcFixedPointVsFloat,
                         testing::Values(Case{"OMS", LdpcCheckUpdate::offset_min_sum, {1.35, 1.45}},
                                         Case{"NMS", LdpcCheckUpdate::normalized_min_sum, {1.5, 1.6}}),
                         [](const auto& info) { return std::string(info.param.name); });
