// The vectorised layered decoder against a plain per-check-node layered decoder written here from the
// textbook update rules (bit-exact for the min-sum family in float32 and in the documented int16 fixed
// point, float-tolerance for sum-product), and its behaviour on noiseless and noisy codewords.
#include "sixg/phy/ldpc/ldpc_decoder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "sixg/phy/ldpc/ldpc_encoder.h"
#include "sixg/phy/ldpc/ldpc_rate_matcher.h"
#include "sixg/phy/random/random_stream.h"

using namespace sixg::phy;

namespace {

// Layered BP, one lifted check at a time, LLRs ln(P0/P1) internally, every base-graph row processed.
// Min-sum arithmetic is done in float in the same order as any correct implementation must (q = app -
// msg; message = sign · correction(min); app = q + message), so results must agree bit for bit.
class ReferenceDecoder {
 public:
  ReferenceDecoder(LdpcBaseGraph g, int z, LdpcDecoderOptions o) : z_(z), options_(o) {
    const auto& t = ldpc_base_graph(g);
    rows_ = t.num_rows();
    cols_ = t.num_cols();
    info_cols_ = t.num_info_cols();
    edges_ = t.lift(z);
  }

  // Returns a-posteriori LLRs in the interface's sign (ln P1/P0).
  std::vector<float> decode(const std::vector<float>& llr, int info_bits, int iterations) const {
    if (options_.arithmetic == LdpcArithmetic::fixed16 && options_.check_update != LdpcCheckUpdate::sum_product) {
      return decode_fixed(llr, info_bits, iterations);
    }
    std::vector<float> app(llr.size());
    for (std::size_t i = 0; i < llr.size(); ++i) app[i] = 0.0f - llr[i];
    for (int i = info_bits; i < info_cols_ * z_; ++i)
      app[static_cast<std::size_t>(i)] = std::numeric_limits<float>::infinity();
    std::vector<float> msg(edges_.size() * z_, 0.0f);
    for (int it = 0; it < iterations; ++it) {
      std::size_t first = 0;
      for (int r = 0; r < rows_; ++r) {
        std::size_t end = first;
        while (end < edges_.size() && edges_[end].row == r) ++end;
        for (int t = 0; t < z_; ++t) update_check(first, end, t, app, msg);
        first = end;
      }
    }
    for (auto& v : app) v = -v;
    return app;
  }

 private:
  void update_check(std::size_t first, std::size_t end, int t, std::vector<float>& app, std::vector<float>& msg) const {
    std::vector<std::size_t> var;
    std::vector<float> q;
    for (std::size_t e = first; e < end; ++e) {
      var.push_back(static_cast<std::size_t>(edges_[e].col) * z_ + (t + edges_[e].shift) % z_);
      q.push_back(app[var.back()] - msg[e * z_ + t]);
    }
    for (std::size_t i = 0; i < var.size(); ++i) {
      float r;
      if (options_.check_update == LdpcCheckUpdate::sum_product) {
        double prod = 1.0;
        for (std::size_t j = 0; j < var.size(); ++j) {
          if (j != i) prod *= std::tanh(0.5 * static_cast<double>(q[j]));
        }
        r = static_cast<float>(2.0 * std::atanh(std::clamp(prod, -1.0 + 0x1p-24, 1.0 - 0x1p-24)));
      } else {
        float min = std::numeric_limits<float>::max();
        bool negative = false;
        for (std::size_t j = 0; j < var.size(); ++j) {
          if (j == i) continue;
          min = std::min(min, std::fabs(q[j]));
          negative ^= std::signbit(q[j]);
        }
        const float mag = options_.check_update == LdpcCheckUpdate::normalized_min_sum
                              ? min * options_.normalization
                              : std::max(min - options_.offset, 0.0f);
        r = negative ? -mag : mag;
      }
      msg[(first + i) * z_ + t] = r;
      app[var[i]] = q[i] + r;
    }
  }

  // The fixed-point format of src/phy/ldpc/ldpc_fixed_min_sum.h: LLR step 1/64, channel clamped to
  // ±16384 steps, fillers +32767, saturating int16 a-posteriori values, messages clamped to ±1023 steps,
  // normalisation rounded down.
  static std::int32_t sat16(std::int32_t x) { return std::clamp(x, -32768, 32767); }
  static std::int32_t quantize(float llr) {  // internal sign: minus the interface's
    const float t = std::clamp(llr * 64.0f, -16384.0f, 16384.0f);
    return -static_cast<std::int32_t>(t < 0.0f ? t - 0.5f : t + 0.5f);
  }
  [[nodiscard]] std::int32_t corrected(std::int32_t m) const {
    m = std::min(m, 32767);
    if (options_.check_update == LdpcCheckUpdate::normalized_min_sum) {
      const auto f = static_cast<std::int32_t>(std::lround(options_.normalization * 32768.0f));
      m = (m * f) >> 15;  // floor(m · normalization) in Q15
    } else {
      m = std::max(m - static_cast<std::int32_t>(std::lround(options_.offset * 64.0f)), 0);
    }
    return std::min(m, 1023);
  }

  std::vector<float> decode_fixed(const std::vector<float>& llr, int info_bits, int iterations) const {
    std::vector<std::int32_t> app(llr.size());
    for (std::size_t i = 0; i < llr.size(); ++i) app[i] = quantize(llr[i]);
    for (int i = info_bits; i < info_cols_ * z_; ++i) app[static_cast<std::size_t>(i)] = 32767;
    std::vector<std::int32_t> msg(edges_.size() * z_, 0);
    for (int it = 0; it < iterations; ++it) {
      std::size_t first = 0;
      for (int r = 0; r < rows_; ++r) {
        std::size_t end = first;
        while (end < edges_.size() && edges_[end].row == r) ++end;
        for (int t = 0; t < z_; ++t) {
          std::vector<std::size_t> var;
          std::vector<std::int32_t> q;
          for (std::size_t e = first; e < end; ++e) {
            var.push_back(static_cast<std::size_t>(edges_[e].col) * z_ + (t + edges_[e].shift) % z_);
            q.push_back(sat16(app[var.back()] - msg[e * z_ + t]));
          }
          for (std::size_t i = 0; i < var.size(); ++i) {
            std::int32_t min = std::numeric_limits<std::int32_t>::max();
            bool negative = false;
            for (std::size_t j = 0; j < var.size(); ++j) {
              if (j == i) continue;
              min = std::min(min, std::abs(q[j]));
              negative ^= q[j] < 0;
            }
            const std::int32_t r_i = negative ? -corrected(min) : corrected(min);
            msg[(first + i) * z_ + t] = r_i;
            app[var[i]] = sat16(q[i] + r_i);
          }
        }
        first = end;
      }
    }
    std::vector<float> out(app.size());
    for (std::size_t i = 0; i < app.size(); ++i) out[i] = -(static_cast<float>(app[i]) / 64.0f);
    return out;
  }

  int z_, rows_ = 0, cols_ = 0, info_cols_ = 0;
  LdpcDecoderOptions options_;
  std::vector<LdpcLiftedEdge> edges_;
};

struct Frame {
  std::vector<std::uint8_t> info, codeword;
  std::vector<float> llr;  // whole codeword, 0 where not transmitted
};

// Random info, encode, rate-match to `e_bits` (rv 0, BPSK), AWGN at Es/N0 `esno_db`, recover.
Frame make_frame(LdpcBaseGraph g, int z, int info_bits, int e_bits, double esno_db, std::uint64_t frame) {
  const LdpcEncoder enc(g, z);
  const LdpcRateMatcher rm(g, z, info_bits, e_bits, 1);
  Frame f;
  f.info.resize(static_cast<std::size_t>(info_bits));
  RandomStream(11, 0, frame, RandomPurpose::info_bits).fill_bits(f.info);
  f.codeword.resize(static_cast<std::size_t>(enc.codeword_length()));
  enc.encode(f.info, f.codeword);
  std::vector<std::uint8_t> sent(static_cast<std::size_t>(e_bits));
  rm.rate_match(f.codeword, sent);
  const double sigma2 = 1.0 / (2.0 * std::pow(10.0, esno_db / 10.0));  // BPSK +-1, noise variance per real
  std::vector<float> noise(sent.size());
  RandomStream(11, 0, frame, RandomPurpose::noise).fill_normal(noise, static_cast<float>(std::sqrt(sigma2)));
  std::vector<float> llr(sent.size());
  for (std::size_t i = 0; i < sent.size(); ++i) {
    const double y = (sent[i] ? -1.0 : 1.0) + noise[i];
    llr[i] = static_cast<float>(-2.0 * y / sigma2);  // ln P(1)/P(0)
  }
  f.llr.resize(f.codeword.size());
  rm.rate_recover(llr, f.llr);
  return f;
}

struct Variant {
  LdpcCheckUpdate update;
  LdpcArithmetic arithmetic;
};

std::string name_of(const Variant& v) {
  const char* arithmetic = v.arithmetic == LdpcArithmetic::fixed16 ? "Fixed16" : "Float32";
  switch (v.update) {
    case LdpcCheckUpdate::normalized_min_sum: return std::string("NMS") + arithmetic;
    case LdpcCheckUpdate::offset_min_sum: return std::string("OMS") + arithmetic;
    case LdpcCheckUpdate::sum_product: return "SPA";
  }
  return "?";
}

// Sum-product always runs in float32 (its arithmetic option is ignored).
const Variant kVariants[] = {{LdpcCheckUpdate::normalized_min_sum, LdpcArithmetic::fixed16},
                             {LdpcCheckUpdate::normalized_min_sum, LdpcArithmetic::float32},
                             {LdpcCheckUpdate::offset_min_sum, LdpcArithmetic::fixed16},
                             {LdpcCheckUpdate::offset_min_sum, LdpcArithmetic::float32},
                             {LdpcCheckUpdate::sum_product, LdpcArithmetic::float32}};

LdpcDecoderOptions options_of(const Variant& v) {
  LdpcDecoderOptions o;
  o.check_update = v.update;
  o.arithmetic = v.arithmetic;
  return o;
}

}  // namespace

class LdpcDecoderVsReference : public testing::TestWithParam<Variant> {};

TEST_P(LdpcDecoderVsReference, SameAPosterioriLlrsAfterEachIteration) {
  struct Setup {
    LdpcBaseGraph g;
    int z, info_bits, e_bits;
  };
  // Lifting sizes that are and are not multiples of the 8-lane vectors, fillers, punctured columns, and
  // rates that leave extension rows unreceived (the decoder skips them; the reference does not).
  // Zc = 13, 15, 36 are not multiples of either vector width, 40 is one of 8 lanes but not of 16.
  // Multiples of 16 take fixed point's one-sweep kernel: 64 in pairs of 16-lane chunks, 48 with an odd
  // chunk left over; both have shifts that do and do not straddle the column end.
  const Setup setups[] = {{LdpcBaseGraph::bg1, 13, 270, 540},
                          {LdpcBaseGraph::bg1, 64, 1408, 2000},
                          {LdpcBaseGraph::bg1, 40, 850, 1900},
                          {LdpcBaseGraph::bg2, 15, 140, 600},
                          {LdpcBaseGraph::bg2, 36, 300, 1700},
                          {LdpcBaseGraph::bg2, 48, 400, 900}};
  LdpcDecoderOptions options = options_of(GetParam());
  options.early_stop = false;
  for (const auto& s : setups) {
    const auto f = make_frame(s.g, s.z, s.info_bits, s.e_bits, 0.5, static_cast<std::uint64_t>(s.z));
    const ReferenceDecoder reference(s.g, s.z, options);
    for (int iterations : {1, 2, 4}) {
      SCOPED_TRACE(testing::Message() << "Zc=" << s.z << " iterations=" << iterations);
      options.iterations = iterations;
      LdpcDecoder decoder(s.g, s.z, options);
      std::vector<std::uint8_t> info(static_cast<std::size_t>(s.info_bits));
      EXPECT_EQ(decoder.decode(f.llr, info), iterations);
      std::vector<float> ours(f.llr.size());
      decoder.a_posteriori_llrs(ours);
      const auto theirs = reference.decode(f.llr, s.info_bits, iterations);
      const int k = (s.g == LdpcBaseGraph::bg1 ? 22 : 10) * s.z;
      int mismatches = 0;
      for (std::size_t i = 0; i < ours.size(); ++i) {
        if (static_cast<int>(i) >= s.info_bits && static_cast<int>(i) < k) continue;  // fillers: "known"
        if (f.llr[i] == 0.0f && static_cast<int>(i) >= k + 4 * s.z) continue;         // skipped rows' parities
        const bool same = GetParam().update == LdpcCheckUpdate::sum_product
                              ? std::fabs(ours[i] - theirs[i]) <= 2e-3f * (1.0f + std::fabs(theirs[i]))
                              : ours[i] == theirs[i];
        mismatches += !same;
        if (!same && mismatches < 5) ADD_FAILURE() << "bit " << i << ": " << ours[i] << " vs " << theirs[i];
      }
      EXPECT_EQ(mismatches, 0);
      for (std::size_t i = 0; i < info.size(); ++i) ASSERT_EQ(info[i], ours[i] > 0.0f ? 1 : 0);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllCheckUpdates, LdpcDecoderVsReference, testing::ValuesIn(kVariants),
                         [](const auto& info) { return name_of(info.param); });

// The fixed-point corner cases against the reference: channel LLRs far beyond the ±256 clamp (Es/N0 =
// 30 dB gives |LLR| ~ 4000), messages at the ±16 clamp adding up on top of them (all 46 rows received),
// normalisation 1 (the identity, f = 2^15) and an offset of 0.
TEST(LdpcDecoderFixedPoint, SaturationAndClampsMatchTheReference) {
  const auto f = make_frame(LdpcBaseGraph::bg1, 40, 850, 66 * 40, 30.0, 7);
  for (const auto update : {LdpcCheckUpdate::normalized_min_sum, LdpcCheckUpdate::offset_min_sum}) {
    LdpcDecoderOptions options;
    options.check_update = update;
    options.normalization = 1.0f;
    options.offset = 0.0f;
    options.iterations = 3;
    options.early_stop = false;
    LdpcDecoder decoder(LdpcBaseGraph::bg1, 40, options);
    std::vector<std::uint8_t> info(850);
    decoder.decode(f.llr, info);
    EXPECT_EQ(info, f.info);
    std::vector<float> ours(f.llr.size());
    decoder.a_posteriori_llrs(ours);
    const auto theirs = ReferenceDecoder(LdpcBaseGraph::bg1, 40, options).decode(f.llr, 850, 3);
    int beyond_channel_clamp = 0;
    for (std::size_t i = 0; i < ours.size(); ++i) {
      if (i >= 850 && i < 22 * 40) continue;  // fillers: "known"
      ASSERT_EQ(ours[i], theirs[i]) << "bit " << i;
      beyond_channel_clamp += std::fabs(ours[i]) > 256.0f + 2 * 16.0f;
    }
    EXPECT_GT(beyond_channel_clamp, 100) << "the case must exercise the clamps it is about";
  }
}

class LdpcDecoderChannel : public testing::TestWithParam<Variant> {};

TEST_P(LdpcDecoderChannel, NoiselessCodewordsDecodeInOneIteration) {
  struct Setup {
    LdpcBaseGraph g;
    int z, info_bits, e_bits;
  };
  const Setup setups[] = {{LdpcBaseGraph::bg1, 384, 8448, 16896},
                          {LdpcBaseGraph::bg1, 288, 6144, 12288},
                          {LdpcBaseGraph::bg1, 5, 100, 300},
                          {LdpcBaseGraph::bg2, 64, 512, 1024},
                          {LdpcBaseGraph::bg2, 384, 3840, 4800}};
  LdpcDecoderOptions options = options_of(GetParam());
  for (const auto& s : setups) {
    const auto f = make_frame(s.g, s.z, s.info_bits, s.e_bits, 100.0, 1);
    LdpcDecoder decoder(s.g, s.z, options);
    std::vector<std::uint8_t> info(static_cast<std::size_t>(s.info_bits), 9);
    EXPECT_EQ(decoder.decode(f.llr, info), 1) << s.z;
    EXPECT_EQ(info, f.info) << s.z;
    EXPECT_TRUE(decoder.parity_checks_hold());
  }
}

TEST_P(LdpcDecoderChannel, CorrectsChannelErrorsAboveThreshold) {
  // BG1 Zc = 96 rate 1/2 at Es/N0 = 0 dB (Eb/N0 = 3 dB, ~1.5 dB above its waterfall): the channel's
  // hard decisions hold about 8 % errors, the decoder must remove all of them in every frame.
  LdpcDecoderOptions options = options_of(GetParam());
  LdpcDecoder decoder(LdpcBaseGraph::bg1, 96, options);
  for (std::uint64_t frame = 0; frame < 10; ++frame) {
    const auto f = make_frame(LdpcBaseGraph::bg1, 96, 2112, 4224, 0.0, frame);
    int channel_errors = 0;
    for (int i = 0; i < 2112; ++i)
      channel_errors += f.llr[static_cast<std::size_t>(i)] != 0.0f &&
                        (f.llr[static_cast<std::size_t>(i)] > 0) != (f.info[static_cast<std::size_t>(i)] == 1);
    EXPECT_GT(channel_errors, 50);
    std::vector<std::uint8_t> info(2112);
    const int iterations = decoder.decode(f.llr, info);
    EXPECT_EQ(info, f.info) << "frame " << frame;
    EXPECT_LT(iterations, options.iterations);
    EXPECT_TRUE(decoder.parity_checks_hold());
  }
}

TEST_P(LdpcDecoderChannel, WithoutEarlyStopRunsEveryIterationAndSeesFailures) {
  LdpcDecoderOptions options = options_of(GetParam());
  options.early_stop = false;
  options.iterations = 7;
  LdpcDecoder decoder(LdpcBaseGraph::bg2, 64, options);
  const auto good = make_frame(LdpcBaseGraph::bg2, 64, 512, 1024, 100.0, 3);
  std::vector<std::uint8_t> info(512);
  EXPECT_EQ(decoder.decode(good.llr, info), 7);
  EXPECT_TRUE(decoder.parity_checks_hold());
  // Far below threshold (Es/N0 = -6 dB at rate 1/2) decoding fails and the checks say so.
  const auto bad = make_frame(LdpcBaseGraph::bg2, 64, 512, 1024, -6.0, 4);
  EXPECT_EQ(decoder.decode(bad.llr, info), 7);
  EXPECT_FALSE(decoder.parity_checks_hold());
  EXPECT_NE(info, bad.info);
}

INSTANTIATE_TEST_SUITE_P(AllCheckUpdates, LdpcDecoderChannel, testing::ValuesIn(kVariants),
                         [](const auto& info) { return name_of(info.param); });

TEST(LdpcDecoder, RejectsBadOptionsAndSizes) {
  LdpcDecoderOptions o;
  o.iterations = 0;
  EXPECT_THROW(LdpcDecoder(LdpcBaseGraph::bg1, 8, o), std::invalid_argument);
  o = {};
  o.normalization = 1.5f;
  EXPECT_THROW(LdpcDecoder(LdpcBaseGraph::bg1, 8, o), std::invalid_argument);
  o = {};
  o.offset = -1.0f;
  EXPECT_THROW(LdpcDecoder(LdpcBaseGraph::bg1, 8, o), std::invalid_argument);
  LdpcDecoder d(LdpcBaseGraph::bg1, 8);
  std::vector<float> llr(68 * 8 - 1);
  std::vector<std::uint8_t> info(176);
  EXPECT_THROW(d.decode(llr, info), std::invalid_argument);
  llr.resize(68 * 8);
  info.resize(177);
  EXPECT_THROW(d.decode(llr, info), std::invalid_argument);
}
