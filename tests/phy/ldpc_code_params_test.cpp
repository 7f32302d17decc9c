// LDPC parameters: base-graph selection, lifting, segmentation and rate-matching lengths against the
// rules of TS 38.212 (§5.2.2, §5.3.2, §5.4.2.1, §7.2.2) and the worked default of DESIGN §3.
#include "sixg/phy/ldpc/ldpc_code_params.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "sixg/phy/types.h"

using namespace sixg::phy;

TEST(LdpcCodeParams, DefaultScenario) {
  // k = 6144, r = 1/2, QPSK, G = 12288 -> BG1, Zc = 288, K = 6336 (192 filler), N = 19008, E = 12288.
  const auto p = ldpc_code_params(6144, 12288, 2);
  EXPECT_EQ(p.base_graph, LdpcBaseGraph::bg1);
  EXPECT_EQ(p.num_code_blocks, 1);
  EXPECT_EQ(p.info_columns, 22);
  EXPECT_EQ(p.lifting_size, 288);
  EXPECT_EQ(p.lifting_set, 4);
  EXPECT_EQ(p.code_block_size, 6336);
  EXPECT_EQ(p.filler_bits(0), 192);
  EXPECT_EQ(p.circular_buffer, 19008);
  EXPECT_EQ(p.mother_length, 19584);
  EXPECT_EQ(p.punctured_bits(), 576);
  EXPECT_EQ(p.block_coded_bits, std::vector<int>{12288});
}

TEST(LdpcCodeParams, ShortCodeUsesBaseGraph2) {
  // The AFF3CT reference code (1024, 512): BG2, Kb = 8, Zc = 64, K = 640, N = 50 Zc.
  const auto p = ldpc_code_params(512, 1024, 1);
  EXPECT_EQ(p.base_graph, LdpcBaseGraph::bg2);
  EXPECT_EQ(p.info_columns, 8);
  EXPECT_EQ(p.lifting_size, 64);
  EXPECT_EQ(p.code_block_size, 640);
  EXPECT_EQ(p.filler_bits(0), 128);
  EXPECT_EQ(p.circular_buffer, 3200);
  EXPECT_EQ(p.mother_length, 3328);
}

TEST(LdpcCodeParams, BaseGraphSelectionBoundaries) {
  EXPECT_EQ(ldpc_select_base_graph(292, 0.9), LdpcBaseGraph::bg2);
  EXPECT_EQ(ldpc_select_base_graph(293, 0.9), LdpcBaseGraph::bg1);
  EXPECT_EQ(ldpc_select_base_graph(3824, 0.67), LdpcBaseGraph::bg2);
  EXPECT_EQ(ldpc_select_base_graph(3824, 0.68), LdpcBaseGraph::bg1);
  EXPECT_EQ(ldpc_select_base_graph(3825, 0.5), LdpcBaseGraph::bg1);
  EXPECT_EQ(ldpc_select_base_graph(100000, 0.25), LdpcBaseGraph::bg2);
  EXPECT_EQ(ldpc_select_base_graph(100000, 0.26), LdpcBaseGraph::bg1);
  EXPECT_EQ(ldpc_info_columns(LdpcBaseGraph::bg2, 641), 10);
  EXPECT_EQ(ldpc_info_columns(LdpcBaseGraph::bg2, 640), 9);
  EXPECT_EQ(ldpc_info_columns(LdpcBaseGraph::bg2, 560), 8);
  EXPECT_EQ(ldpc_info_columns(LdpcBaseGraph::bg2, 192), 6);
  EXPECT_EQ(ldpc_info_columns(LdpcBaseGraph::bg1, 24), 22);
}

TEST(LdpcCodeParams, SegmentationAboveTheLargestCodeBlock) {
  // k = 20000 > 8448: C = 3, K' = ceil(20000/3) = 6667 for the first 20000 mod 3 = 2 blocks and 6666
  // for the last; Zc = 320 (22 · 288 = 6336 < 6667 <= 22 · 320). G/Qm = 20000 symbols, 20000 mod 3 = 2:
  // block 0 gets floor (6666 symbols), blocks 1 and 2 ceil (6667).
  const auto p = ldpc_code_params(20000, 40000, 2);
  EXPECT_EQ(p.base_graph, LdpcBaseGraph::bg1);
  EXPECT_EQ(p.num_code_blocks, 3);
  EXPECT_EQ(p.block_info_bits, (std::vector<int>{6667, 6667, 6666}));
  EXPECT_EQ(p.block_info_offset, (std::vector<int>{0, 6667, 13334}));
  EXPECT_EQ(p.lifting_size, 320);
  EXPECT_EQ(p.filler_bits(2), 7040 - 6666);
  EXPECT_EQ(p.block_coded_bits, (std::vector<int>{13332, 13334, 13334}));
  EXPECT_EQ(p.block_coded_offset, (std::vector<int>{0, 13332, 26666}));

  // BG2 above 3840 (possible only for R <= 0.25): k = 5000 -> C = 2, K' = 2500, Kb = 10, Zc = 256.
  const auto q = ldpc_code_params(5000, 24000, 2);
  EXPECT_EQ(q.base_graph, LdpcBaseGraph::bg2);
  EXPECT_EQ(q.num_code_blocks, 2);
  EXPECT_EQ(q.block_info_bits, (std::vector<int>{2500, 2500}));
  EXPECT_EQ(q.info_columns, 10);
  EXPECT_EQ(q.lifting_size, 256);
}

TEST(LdpcCodeParams, SegmentationInvariantsOverManySizes) {
  for (int qm : {1, 2, 4, 6, 8, 10}) {
    for (int k : {1, 24, 100, 292, 293, 640, 641, 3824, 3840, 3841, 8448, 8449, 16896, 16897, 25000, 60000}) {
      for (double rate : {0.1, 0.25, 0.5, 0.67, 0.9}) {
        const int g = static_cast<int>(k / rate / qm + 1) * qm;
        const auto p = ldpc_code_params(k, g, qm);
        const int c = p.num_code_blocks;
        const int kcb = ldpc_max_code_block_size(p.base_graph);
        SCOPED_TRACE(testing::Message() << "k=" << k << " G=" << g << " Qm=" << qm);
        // C is the fewest code blocks of at most Kcb bits.
        EXPECT_LE(p.max_code_block_info, kcb);
        if (c > 1) {
          EXPECT_GT((k + c - 2) / (c - 1), kcb);
        }
        EXPECT_EQ(std::accumulate(p.block_info_bits.begin(), p.block_info_bits.end(), 0), k);
        const auto [kmin, kmax] = std::minmax_element(p.block_info_bits.begin(), p.block_info_bits.end());
        EXPECT_LE(*kmax - *kmin, 1);
        EXPECT_EQ(*kmax, p.max_code_block_info);
        // Zc is the smallest lifting size with Kb · Zc >= K'.
        EXPECT_GE(p.info_columns * p.lifting_size, p.max_code_block_info);
        if (p.lifting_size > 2) {
          const auto sizes = ldpc_lifting_sizes();
          const int previous = *(std::lower_bound(sizes.begin(), sizes.end(), p.lifting_size) - 1);
          EXPECT_LT(p.info_columns * previous, p.max_code_block_info);
        }
        // E_r: multiples of Qm, differing by at most one symbol, floor blocks first, summing to G.
        EXPECT_EQ(std::accumulate(p.block_coded_bits.begin(), p.block_coded_bits.end(), 0), g);
        EXPECT_TRUE(std::is_sorted(p.block_coded_bits.begin(), p.block_coded_bits.end()));
        EXPECT_LE(p.block_coded_bits.back() - p.block_coded_bits.front(), qm);
        for (int e : p.block_coded_bits) EXPECT_EQ(e % qm, 0);
        for (int r = 0; r < c; ++r) {
          EXPECT_GT(p.filler_bits(r), -1);
          if (r > 0) {
            EXPECT_EQ(p.block_info_offset[r], p.block_info_offset[r - 1] + p.block_info_bits[r - 1]);
            EXPECT_EQ(p.block_coded_offset[r], p.block_coded_offset[r - 1] + p.block_coded_bits[r - 1]);
          }
        }
      }
    }
  }
}

TEST(LdpcCodeParams, RejectsImpossibleSizes) {
  EXPECT_THROW((void)ldpc_code_params(0, 100, 2), invalid_config);
  EXPECT_THROW((void)ldpc_code_params(101, 100, 2), invalid_config);
  EXPECT_THROW((void)ldpc_code_params(50, 101, 2), invalid_config);
  EXPECT_THROW((void)ldpc_code_params(50, 100, 0), invalid_config);
  EXPECT_THROW((void)ldpc_code_params(20000, 4, 2), invalid_config);  // k > G
}

TEST(LdpcCodeParams, RedundancyVersionStarts) {
  // Table 5.4.2.1-2 with Ncb = N: k0 = c · Zc.
  EXPECT_EQ(ldpc_rv_start(LdpcBaseGraph::bg1, 288, 0), 0);
  EXPECT_EQ(ldpc_rv_start(LdpcBaseGraph::bg1, 288, 1), 17 * 288);
  EXPECT_EQ(ldpc_rv_start(LdpcBaseGraph::bg1, 288, 2), 33 * 288);
  EXPECT_EQ(ldpc_rv_start(LdpcBaseGraph::bg1, 288, 3), 56 * 288);
  EXPECT_EQ(ldpc_rv_start(LdpcBaseGraph::bg2, 64, 1), 13 * 64);
  EXPECT_EQ(ldpc_rv_start(LdpcBaseGraph::bg2, 64, 2), 25 * 64);
  EXPECT_EQ(ldpc_rv_start(LdpcBaseGraph::bg2, 64, 3), 43 * 64);
  EXPECT_THROW((void)ldpc_rv_start(LdpcBaseGraph::bg2, 64, 4), std::invalid_argument);
}
