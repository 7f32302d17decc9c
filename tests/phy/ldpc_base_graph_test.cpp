// The embedded 5G base graphs against facts of TS 38.212 (sizes, entry counts, first entries of
// Tables 5.3.2-2/-3, the lifting sets of Table 5.3.2-1) and the structure the encoder relies on.
#include "sixg/phy/ldpc/ldpc_base_graph.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

using namespace sixg::phy;

TEST(LdpcBaseGraph, SizesAndEntryCountsMatchTheStandard) {
  const auto& bg1 = ldpc_base_graph(LdpcBaseGraph::bg1);
  EXPECT_EQ(bg1.num_rows(), 46);
  EXPECT_EQ(bg1.num_cols(), 68);
  EXPECT_EQ(bg1.num_info_cols(), 22);
  EXPECT_EQ(bg1.entries().size(), 316u);
  const auto& bg2 = ldpc_base_graph(LdpcBaseGraph::bg2);
  EXPECT_EQ(bg2.num_rows(), 42);
  EXPECT_EQ(bg2.num_cols(), 52);
  EXPECT_EQ(bg2.num_info_cols(), 10);
  EXPECT_EQ(bg2.entries().size(), 197u);
}

TEST(LdpcBaseGraph, FirstEntriesOfTheTables) {
  // Table 5.3.2-2 row 0 column 0: 250 307 73 223 211 294 0 135; Table 5.3.2-3: 9 174 0 72 3 156 143 145.
  const auto bg1 = ldpc_base_graph(LdpcBaseGraph::bg1).row(0);
  EXPECT_EQ(bg1.front().col, 0);
  EXPECT_EQ(bg1.front().shift_coefficient, (std::array<int, 8>{250, 307, 73, 223, 211, 294, 0, 135}));
  const auto bg2 = ldpc_base_graph(LdpcBaseGraph::bg2).row(0);
  EXPECT_EQ(bg2.front().shift_coefficient, (std::array<int, 8>{9, 174, 0, 72, 3, 156, 143, 145}));
  // BG1's special core shift: V(1, 22) = 105 for set 6 only.
  const auto row1 = ldpc_base_graph(LdpcBaseGraph::bg1).row(1);
  const auto it = std::find_if(row1.begin(), row1.end(), [](const auto& e) { return e.col == 22; });
  ASSERT_NE(it, row1.end());
  EXPECT_EQ(it->shift_coefficient[6], 105);
  EXPECT_EQ(it->shift_coefficient[0], 0);
}

TEST(LdpcBaseGraph, RowsAreSortedAndExtensionColumnsAreAnIdentityDiagonal) {
  for (auto g : {LdpcBaseGraph::bg1, LdpcBaseGraph::bg2}) {
    const auto& t = ldpc_base_graph(g);
    std::size_t total = 0;
    for (int r = 0; r < t.num_rows(); ++r) {
      const auto row = t.row(r);
      total += row.size();
      ASSERT_GE(row.size(), 3u);
      for (std::size_t i = 0; i < row.size(); ++i) {
        EXPECT_EQ(row[i].row, r);
        if (i > 0) {
          EXPECT_LT(row[i - 1].col, row[i].col);
        }
      }
      // Row r >= 4 ends with its own degree-1 parity column.
      if (r >= 4) {
        EXPECT_EQ(row.back().col, t.num_info_cols() + r);
      }
    }
    EXPECT_EQ(total, t.entries().size());
  }
}

TEST(LdpcLifting, TheFiftyOneLiftingSizesAndTheirSets) {
  const auto sizes = ldpc_lifting_sizes();
  EXPECT_EQ(sizes.size(), 51u);
  EXPECT_EQ(sizes.front(), 2);
  EXPECT_EQ(sizes.back(), 384);
  EXPECT_TRUE(std::is_sorted(sizes.begin(), sizes.end()));
  std::set<int> unique(sizes.begin(), sizes.end());
  EXPECT_EQ(unique.size(), 51u);
  // Zc = a · 2^j with a = 2, 3, 5, 7, 9, 11, 13, 15 for sets 0..7.
  EXPECT_EQ(ldpc_lifting_set_index(2), 0);
  EXPECT_EQ(ldpc_lifting_set_index(256), 0);
  EXPECT_EQ(ldpc_lifting_set_index(384), 1);
  EXPECT_EQ(ldpc_lifting_set_index(320), 2);
  EXPECT_EQ(ldpc_lifting_set_index(224), 3);
  EXPECT_EQ(ldpc_lifting_set_index(288), 4);
  EXPECT_EQ(ldpc_lifting_set_index(352), 5);
  EXPECT_EQ(ldpc_lifting_set_index(208), 6);
  EXPECT_EQ(ldpc_lifting_set_index(240), 7);
  for (int bad : {0, 1, 17, 19, 385, 512, 768}) EXPECT_EQ(ldpc_lifting_set_index(bad), -1) << bad;
  for (int z : sizes) EXPECT_GE(ldpc_lifting_set_index(z), 0) << z;
  EXPECT_EQ(ldpc_min_lifting_size(1), 2);
  EXPECT_EQ(ldpc_min_lifting_size(280), 288);
  EXPECT_EQ(ldpc_min_lifting_size(289), 320);
  EXPECT_EQ(ldpc_min_lifting_size(384), 384);
  EXPECT_THROW((void)ldpc_min_lifting_size(385), std::invalid_argument);
}

TEST(LdpcLifting, ShiftsAreTheCoefficientsModuloTheLiftingSize) {
  const auto& t = ldpc_base_graph(LdpcBaseGraph::bg1);
  for (int z : {13, 104, 208, 288, 384}) {
    const int set = ldpc_lifting_set_index(z);
    const auto edges = t.lift(z);
    ASSERT_EQ(edges.size(), t.entries().size());
    for (std::size_t i = 0; i < edges.size(); ++i) {
      EXPECT_EQ(edges[i].shift, t.entries()[i].shift_coefficient[set] % z);
      EXPECT_LT(edges[i].shift, z);
    }
  }
  EXPECT_THROW((void)t.lift(17), std::invalid_argument);
}
