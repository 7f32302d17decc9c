// Rate matching against a literal transcription of TS 38.212 §5.4.2.1 (bit selection from the
// circular buffer with <NULL> fillers) and §5.4.2.2 (bit interleaving), and its inverse.
#include <gtest/gtest.h>

#include <vector>

#include "sixg/phy/ldpc/ldpc_code_params.h"
#include "sixg/phy/ldpc/ldpc_rate_matcher.h"
#include "sixg/phy/random/random_stream.h"

using namespace sixg::phy;

namespace {

constexpr std::uint8_t kNull = 2;

// The standard's procedure, step by step: d_k = c_{k + 2Zc} with fillers as <NULL>, then
// "k = 0; j = 0; while k < E: if d[(k0 + j) mod Ncb] != NULL: e_k = d[...]; k++; j++", then
// "for j < E/Qm: for i < Qm: f[i + j·Qm] = e[i·E/Qm + j]".
std::vector<std::uint8_t> standard_rate_match(LdpcBaseGraph g, int z, int info_bits, int e_bits, int qm, int rv,
                                              const std::vector<std::uint8_t>& codeword) {
  const int cols = g == LdpcBaseGraph::bg1 ? 68 : 52;
  const int kcb = (g == LdpcBaseGraph::bg1 ? 22 : 10) * z;
  const int n = (cols - 2) * z;
  std::vector<std::uint8_t> d(static_cast<std::size_t>(n));
  for (int k = 0; k < n; ++k) {
    const int c_index = k + 2 * z;
    d[static_cast<std::size_t>(k)] =
        c_index >= info_bits && c_index < kcb ? kNull : codeword[static_cast<std::size_t>(c_index)];
  }
  const int c_rv =
      g == LdpcBaseGraph::bg1 ? std::array<int, 4>{0, 17, 33, 56}[rv] : std::array<int, 4>{0, 13, 25, 43}[rv];
  const int k0 = (c_rv * n / ((cols - 2) * z)) * z;
  std::vector<std::uint8_t> e(static_cast<std::size_t>(e_bits));
  for (int k = 0, j = 0; k < e_bits; ++j) {
    const auto bit = d[static_cast<std::size_t>((k0 + j) % n)];
    if (bit != kNull) e[static_cast<std::size_t>(k++)] = bit;
  }
  std::vector<std::uint8_t> f(static_cast<std::size_t>(e_bits));
  for (int j = 0; j < e_bits / qm; ++j) {
    for (int i = 0; i < qm; ++i)
      f[static_cast<std::size_t>(i + j * qm)] = e[static_cast<std::size_t>(i * (e_bits / qm) + j)];
  }
  return f;
}

struct Case {
  LdpcBaseGraph g;
  int z, info_bits, e_bits, qm, rv;
};

const Case kCases[] = {
    {LdpcBaseGraph::bg1, 288, 6144, 12288, 2, 0},  // the default scenario
    {LdpcBaseGraph::bg1, 288, 6144, 12288, 2, 1}, {LdpcBaseGraph::bg1, 288, 6144, 12288, 4, 2},
    {LdpcBaseGraph::bg1, 384, 8448, 16896, 6, 3}, {LdpcBaseGraph::bg1, 13, 250, 900, 1, 0},
    {LdpcBaseGraph::bg1, 13, 250, 3000, 2, 2},  // E > N: repetition
    {LdpcBaseGraph::bg2, 64, 512, 1024, 1, 0},    {LdpcBaseGraph::bg2, 64, 512, 1024, 8, 1},
    {LdpcBaseGraph::bg2, 7, 40, 1000, 10, 3},     {LdpcBaseGraph::bg2, 2, 3, 48, 4, 0},  // K' < 2 Zc
};

}  // namespace

TEST(LdpcRateMatching, MatchesTheStandardProcedure) {
  std::uint64_t frame = 0;
  for (const auto& c : kCases) {
    SCOPED_TRACE(testing::Message() << "Zc=" << c.z << " K'=" << c.info_bits << " E=" << c.e_bits << " Qm=" << c.qm
                                    << " rv=" << c.rv);
    const LdpcRateMatcher rm(c.g, c.z, c.info_bits, c.e_bits, c.qm, c.rv);
    std::vector<std::uint8_t> cw(static_cast<std::size_t>(rm.codeword_length()));
    RandomStream(3, 0, frame++, RandomPurpose::test).fill_bits(cw);
    std::vector<std::uint8_t> out(static_cast<std::size_t>(c.e_bits));
    rm.rate_match(cw, out);
    EXPECT_EQ(out, standard_rate_match(c.g, c.z, c.info_bits, c.e_bits, c.qm, c.rv, cw));
    EXPECT_EQ(rm.start_position(), ldpc_rv_start(c.g, c.z, c.rv));
  }
}

TEST(LdpcRateMatching, NeverSendsPuncturedOrFillerBits) {
  for (const auto& c : kCases) {
    const LdpcRateMatcher rm(c.g, c.z, c.info_bits, c.e_bits, c.qm, c.rv);
    const int k = (c.g == LdpcBaseGraph::bg1 ? 22 : 10) * c.z;
    for (auto pos : rm.source_positions()) {
      ASSERT_GE(pos, static_cast<std::uint32_t>(2 * c.z));
      ASSERT_FALSE(pos >= static_cast<std::uint32_t>(c.info_bits) && pos < static_cast<std::uint32_t>(k));
    }
  }
}

TEST(LdpcRateMatching, DefaultScenarioSendsTheFirstEBitsOfTheBufferOnce) {
  // rv 0, E = 12288 < N - F: the bits sent are exactly buffer positions 0.. without fillers, each once.
  const LdpcRateMatcher rm(LdpcBaseGraph::bg1, 288, 6144, 12288, 2, 0);
  std::vector<int> count(19584, 0);
  for (auto pos : rm.source_positions()) ++count[pos];
  int sent = 0;
  for (int pos = 0; pos < 19584; ++pos) {
    const bool expected = pos >= 576 && !(pos >= 6144 && pos < 6336) && pos < 576 + 12288 + 192;
    EXPECT_EQ(count[static_cast<std::size_t>(pos)], expected ? 1 : 0) << pos;
    sent += count[static_cast<std::size_t>(pos)];
  }
  EXPECT_EQ(sent, 12288);
}

TEST(LdpcRateMatching, RecoverAccumulatesEveryCopyAndZeroesTheRest) {
  for (const auto& c : kCases) {
    SCOPED_TRACE(testing::Message() << "Zc=" << c.z << " E=" << c.e_bits);
    const LdpcRateMatcher rm(c.g, c.z, c.info_bits, c.e_bits, c.qm, c.rv);
    std::vector<std::uint8_t> cw(static_cast<std::size_t>(rm.codeword_length()));
    RandomStream(4, 0, 0, RandomPurpose::test).fill_bits(cw);
    std::vector<std::uint8_t> sent(static_cast<std::size_t>(c.e_bits));
    rm.rate_match(cw, sent);
    // LLR +1 for a 1, -1 for a 0 (any sign convention passes through).
    std::vector<float> llr(sent.size());
    for (std::size_t i = 0; i < sent.size(); ++i) llr[i] = sent[i] ? 1.0f : -1.0f;
    std::vector<float> recovered(cw.size(), 99.0f);
    rm.rate_recover(llr, recovered);
    std::vector<int> copies(cw.size(), 0);
    for (auto pos : rm.source_positions()) ++copies[pos];
    for (std::size_t pos = 0; pos < cw.size(); ++pos) {
      const float expected = static_cast<float>(copies[pos]) * (cw[pos] ? 1.0f : -1.0f);
      ASSERT_EQ(recovered[pos], expected) << pos;
    }
  }
}
