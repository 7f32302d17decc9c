// The structured encoder's codewords satisfy every parity check H · c = 0 (checked here with a plain
// loop over the lifted base graph), for both base graphs, every lifting size of all 8 sets, and any
// number of filler bits; the codeword is systematic with zero fillers.
#include "sixg/phy/ldpc/ldpc_encoder.h"

#include <gtest/gtest.h>

#include <vector>

#include "sixg/phy/random/random_stream.h"

using namespace sixg::phy;

namespace {

// Number of unsatisfied lifted checks: check (row, t) sums bits (col, (t + shift) mod Zc).
int unsatisfied_checks(LdpcBaseGraph g, int z, const std::vector<std::uint8_t>& cw) {
  const auto& table = ldpc_base_graph(g);
  const auto edges = table.lift(z);
  std::vector<int> parity(static_cast<std::size_t>(table.num_rows()) * z, 0);
  for (const auto& e : edges) {
    for (int t = 0; t < z; ++t)
      parity[static_cast<std::size_t>(e.row) * z + t] ^= cw[static_cast<std::size_t>(e.col) * z + (t + e.shift) % z];
  }
  int bad = 0;
  for (int p : parity) bad += p;
  return bad;
}

std::vector<std::uint8_t> random_bits(int n, std::uint64_t frame) {
  std::vector<std::uint8_t> bits(static_cast<std::size_t>(n));
  RandomStream(1, 0, frame, RandomPurpose::test).fill_bits(bits);
  return bits;
}

}  // namespace

class LdpcEncoderAllLiftings : public testing::TestWithParam<LdpcBaseGraph> {};

TEST_P(LdpcEncoderAllLiftings, EveryParityCheckHolds) {
  const LdpcBaseGraph g = GetParam();
  std::uint64_t frame = 0;
  for (int z : ldpc_lifting_sizes()) {
    const LdpcEncoder enc(g, z);
    const int k = enc.code_block_size();
    // No filler, a few filler bits, and about a third filler.
    for (int info_bits : {k, k - 1 - z / 3, 2 * k / 3}) {
      if (info_bits < 1) continue;
      const auto info = random_bits(info_bits, frame++);
      std::vector<std::uint8_t> cw(static_cast<std::size_t>(enc.codeword_length()), 7);
      enc.encode(info, cw);
      SCOPED_TRACE(testing::Message() << "Zc=" << z << " K'=" << info_bits);
      ASSERT_EQ(unsatisfied_checks(g, z, cw), 0);
      EXPECT_TRUE(std::equal(info.begin(), info.end(), cw.begin()));
      for (int i = info_bits; i < k; ++i) ASSERT_EQ(cw[static_cast<std::size_t>(i)], 0);
      for (auto b : cw) ASSERT_LE(b, 1);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(BothBaseGraphs, LdpcEncoderAllLiftings,
                         testing::Values(LdpcBaseGraph::bg1, LdpcBaseGraph::bg2),
                         [](const auto& info) { return info.param == LdpcBaseGraph::bg1 ? "BG1" : "BG2"; });

TEST(LdpcEncoder, ParityDependsOnEveryInformationBit) {
  // A single 1 anywhere gives a non-zero parity part: no information column is ignored.
  const LdpcEncoder enc(LdpcBaseGraph::bg1, 384);
  const int k = enc.code_block_size();
  std::vector<std::uint8_t> info(static_cast<std::size_t>(k), 0), cw(static_cast<std::size_t>(enc.codeword_length()));
  for (int col = 0; col < 22; ++col) {
    std::fill(info.begin(), info.end(), std::uint8_t{0});
    info[static_cast<std::size_t>(col) * 384 + 17] = 1;
    enc.encode(info, cw);
    int parity_weight = 0;
    for (int i = k; i < enc.codeword_length(); ++i) parity_weight += cw[static_cast<std::size_t>(i)];
    EXPECT_GT(parity_weight, 0) << col;
    EXPECT_EQ(unsatisfied_checks(LdpcBaseGraph::bg1, 384, cw), 0);
  }
}

TEST(LdpcEncoder, RejectsWrongSizes) {
  const LdpcEncoder enc(LdpcBaseGraph::bg2, 64);
  std::vector<std::uint8_t> info(641), cw(52 * 64);
  EXPECT_THROW(enc.encode(info, cw), std::invalid_argument);
  info.resize(640);
  cw.resize(50 * 64);
  EXPECT_THROW(enc.encode(info, cw), std::invalid_argument);
}
