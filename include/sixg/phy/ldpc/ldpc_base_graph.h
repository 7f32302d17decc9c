// 5G NR LDPC base graphs (TS 38.212 §5.3.2, Tables 5.3.2-2 and 5.3.2-3) and their lifting.
//
// The tables are compiled into the library from data/3gpp/ldpc_5G_bg{1,2}.csv and parsed once, on
// first use. A base graph is a num_rows × num_cols matrix of shift coefficients V(i, j) per lifting
// set iLS; lifting with Zc replaces entry (i, j) by the Zc × Zc identity shifted right by
// V(i, j) mod Zc, so lifted check (i, t) involves lifted variable (j, (t + shift) mod Zc).
//
// Column layout (both graphs): [0, num_info_cols) systematic, then 4 core parity columns, then one
// extension parity column per row from row 4 on (column num_info_cols + row, degree 1).
#pragma once

#include <array>
#include <span>
#include <vector>

namespace sixg::phy {

enum class LdpcBaseGraph { bg1, bg2 };

/// One non-zero entry of a base graph: V(row, col) for each lifting set index iLS 0..7.
struct LdpcBaseGraphEntry {
  int row = 0;
  int col = 0;
  std::array<int, 8> shift_coefficient{};
};

/// One non-zero Zc × Zc block of a lifted graph.
struct LdpcLiftedEdge {
  int row = 0;
  int col = 0;
  int shift = 0;  // V(row, col) mod Zc
};

class LdpcBaseGraphTable {
 public:
  LdpcBaseGraphTable(LdpcBaseGraph graph, std::vector<LdpcBaseGraphEntry> entries);

  [[nodiscard]] LdpcBaseGraph graph() const { return graph_; }
  [[nodiscard]] int num_rows() const { return num_rows_; }            // 46 (BG1), 42 (BG2)
  [[nodiscard]] int num_cols() const { return num_cols_; }            // 68 (BG1), 52 (BG2)
  [[nodiscard]] int num_info_cols() const { return num_info_cols_; }  // 22 (BG1), 10 (BG2)
  /// Entries sorted by row, then column.
  [[nodiscard]] std::span<const LdpcBaseGraphEntry> entries() const { return entries_; }
  /// The entries of one row.
  [[nodiscard]] std::span<const LdpcBaseGraphEntry> row(int r) const;

  /// The lifted graph for lifting size `lifting_size` (must be a Table 5.3.2-1 value), sorted by row.
  [[nodiscard]] std::vector<LdpcLiftedEdge> lift(int lifting_size) const;

 private:
  LdpcBaseGraph graph_;
  std::vector<LdpcBaseGraphEntry> entries_;
  std::vector<int> row_begin_;
  int num_rows_ = 0, num_cols_ = 0, num_info_cols_ = 0;
};

/// The parsed table of a base graph (parsed on first call; thread-safe).
const LdpcBaseGraphTable& ldpc_base_graph(LdpcBaseGraph graph);

/// Lifting set index iLS (0..7) of a lifting size from Table 5.3.2-1, or -1 if `z` is not one.
int ldpc_lifting_set_index(int z);

/// The smallest lifting size of Table 5.3.2-1 that is >= `min_value` (throws if above 384).
int ldpc_min_lifting_size(int min_value);

/// All 51 lifting sizes of Table 5.3.2-1 in increasing order.
std::span<const int> ldpc_lifting_sizes();

}  // namespace sixg::phy
