// Systematic 5G NR LDPC encoder for one code block (TS 38.212 §5.3.2), using the base graph's
// structure instead of a dense generator matrix:
//   1. λ_i = Σ_j P^{V(i,j)} c_j over the systematic columns, for the 4 core rows;
//   2. the first core parity p_0 from the sum of the 4 core rows (the other core parities cancel in
//      pairs, leaving one shift of p_0: 1 for BG1, or V(1,22) mod Zc for set 6; for BG2 1, or 0 for
//      sets 3 and 7), then p_1..p_3 one core row at a time (each has exactly one unknown left);
//   3. each extension parity from its own row (identity block on the diagonal).
// Cost ~ (number of base-graph entries) · Zc XORs of bytes.
//
// Input:  info     [K']   uint8 bits (0/1), K' <= K = 22·Zc (BG1) / 10·Zc (BG2); positions [K', K)
//                         are filler bits, encoded as 0.
// Output: codeword [68·Zc] (BG1) / [52·Zc] (BG2) uint8 bits: [info | filler zeros | parity]. The first
//                         2·Zc bits are included here; rate matching leaves them out.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "sixg/phy/ldpc/ldpc_base_graph.h"

namespace sixg::phy {

class LdpcEncoder {
 public:
  LdpcEncoder(LdpcBaseGraph graph, int lifting_size);

  [[nodiscard]] LdpcBaseGraph graph() const { return graph_; }
  [[nodiscard]] int lifting_size() const { return z_; }
  [[nodiscard]] int code_block_size() const { return num_info_cols_ * z_; }  // K
  [[nodiscard]] int codeword_length() const { return num_cols_ * z_; }       // 68·Zc or 52·Zc

  /// Encodes one code block; `info.size()` (K' <= K) fixes the number of filler bits. Thread-safe.
  void encode(std::span<const std::uint8_t> info, std::span<std::uint8_t> codeword) const;

 private:
  struct Block {
    int col;
    int shift;
  };
  LdpcBaseGraph graph_;
  int z_;
  int num_rows_, num_cols_, num_info_cols_;
  std::vector<std::vector<Block>> row_info_blocks_;    // per row: entries in systematic columns
  std::vector<std::vector<Block>> row_parity_blocks_;  // per row: entries in the 4 core parity columns
  int p0_net_shift_ = 0;                               // P^s p_0 = Σ λ_i over the core rows
};

}  // namespace sixg::phy
