// LDPC code parameters of one stream and slot: base graph, lifting, code-block segmentation and
// rate-matching lengths (TS 38.212 §5.2.2, §5.3.2, §5.4.2.1, §6.2.2/§7.2.2).
//
// sixg carries k = floor(r·G) information bits in G coded bits with no CRC (DESIGN §3), so the
// transport-block size A and the segmentation input B of the standard are both k, and no CRC bits
// (L = 0) are attached to code blocks. Segmentation:
//   C = ceil(k / Kcb), Kcb = 8448 (BG1) or 3840 (BG2);
//   K' = ceil(k / C); the first (k mod C) code blocks carry K' information bits and the others K' - 1
//   when C does not divide k: the missing bit becomes one more filler bit, so all code blocks share
//   one lifting size and every filler bit is known to the decoder and never transmitted;
//   Zc = the smallest lifting size with Kb · Zc >= K'; K = 22·Zc (BG1) or 10·Zc (BG2);
//   code block r holds filler bits at positions [K'_r, K) of its systematic part.
// Rate matching: circular buffer Ncb = N = 66·Zc (BG1) or 50·Zc (BG2) (the first 2·Zc systematic bits
// are punctured; no limited buffer), E_r per §5.4.2.1 with Nl = 1.
#pragma once

#include <vector>

#include "sixg/phy/ldpc/ldpc_base_graph.h"

namespace sixg::phy {

/// TS 38.212 §7.2.2: BG2 if k <= 292, or k <= 3824 and R <= 0.67, or R <= 0.25; otherwise BG1.
LdpcBaseGraph ldpc_select_base_graph(int info_bits, double code_rate);

/// Largest code block (Kcb): 8448 for BG1, 3840 for BG2.
int ldpc_max_code_block_size(LdpcBaseGraph graph);

/// Number of systematic base-graph columns that carry information bits (Kb): 22 for BG1; for BG2
/// 10, 9, 8 or 6 by the segmentation input size B (here B = k).
int ldpc_info_columns(LdpcBaseGraph graph, int segmentation_input_bits);

struct LdpcCodeParams {
  int info_bits = 0;        // k, per stream and slot
  int coded_bits = 0;       // G
  int bits_per_symbol = 0;  // Qm
  LdpcBaseGraph base_graph = LdpcBaseGraph::bg1;
  int num_code_blocks = 0;              // C
  int info_columns = 0;                 // Kb
  int lifting_size = 0;                 // Zc
  int lifting_set = 0;                  // iLS
  int code_block_size = 0;              // K = 22·Zc or 10·Zc (information + filler bits)
  int max_code_block_info = 0;          // K' = ceil(k / C)
  int mother_length = 0;                // 68·Zc or 52·Zc: codeword length before puncturing
  int circular_buffer = 0;              // N = Ncb = 66·Zc or 50·Zc: bits after puncturing the first 2·Zc
  std::vector<int> block_info_bits;     // K'_r, r = 0..C-1
  std::vector<int> block_info_offset;   // first information bit of code block r in the stream
  std::vector<int> block_coded_bits;    // E_r (sum = G)
  std::vector<int> block_coded_offset;  // first coded bit of code block r in the stream

  [[nodiscard]] int punctured_bits() const { return 2 * lifting_size; }
  [[nodiscard]] int filler_bits(int block) const { return code_block_size - block_info_bits[block]; }
};

/// Parameters for k information bits in G coded bits with Qm bits per symbol. Throws
/// sixg::phy::invalid_config if k < 1, k > G, G is not a multiple of Qm, or Qm is not in 1..10.
LdpcCodeParams ldpc_code_params(int info_bits, int coded_bits, int bits_per_symbol);

/// Start of redundancy version `rv` (0..3) in the circular buffer (Table 5.4.2.1-2, Ncb = N).
int ldpc_rv_start(LdpcBaseGraph graph, int lifting_size, int redundancy_version);

}  // namespace sixg::phy
