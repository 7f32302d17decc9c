#include "sixg/phy/ldpc/ldpc_code_params.h"

#include <array>
#include <stdexcept>
#include <string>

#include "sixg/phy/types.h"

namespace sixg::phy {

LdpcBaseGraph ldpc_select_base_graph(int info_bits, double code_rate) {
  if (info_bits <= 292 || (info_bits <= 3824 && code_rate <= 0.67) || code_rate <= 0.25) return LdpcBaseGraph::bg2;
  return LdpcBaseGraph::bg1;
}

int ldpc_max_code_block_size(LdpcBaseGraph graph) { return graph == LdpcBaseGraph::bg1 ? 8448 : 3840; }

int ldpc_info_columns(LdpcBaseGraph graph, int segmentation_input_bits) {
  if (graph == LdpcBaseGraph::bg1) return 22;
  if (segmentation_input_bits > 640) return 10;
  if (segmentation_input_bits > 560) return 9;
  if (segmentation_input_bits > 192) return 8;
  return 6;
}

LdpcCodeParams ldpc_code_params(int info_bits, int coded_bits, int bits_per_symbol) {
  if (bits_per_symbol < 1 || bits_per_symbol > 10) {
    throw invalid_config("--modulation",
                         "LDPC: bits per symbol must be in 1..10, got " + std::to_string(bits_per_symbol));
  }
  if (coded_bits < 1 || coded_bits % bits_per_symbol != 0) {
    throw invalid_config("--modulation", "LDPC: the number of coded bits (" + std::to_string(coded_bits) +
                                             ") must be a positive multiple of the bits per symbol (" +
                                             std::to_string(bits_per_symbol) + ")");
  }
  if (info_bits < 1 || info_bits > coded_bits) {
    throw invalid_config("--coderate", "LDPC: need 1 <= k <= G information bits, got k = " + std::to_string(info_bits) +
                                           " for G = " + std::to_string(coded_bits));
  }
  LdpcCodeParams p;
  p.info_bits = info_bits;
  p.coded_bits = coded_bits;
  p.bits_per_symbol = bits_per_symbol;
  p.base_graph = ldpc_select_base_graph(info_bits, static_cast<double>(info_bits) / coded_bits);

  // §5.2.2 with L = 0 (no CRC): C = ceil(B / Kcb).
  const int kcb = ldpc_max_code_block_size(p.base_graph);
  const int c = (info_bits + kcb - 1) / kcb;
  p.num_code_blocks = c;
  p.max_code_block_info = (info_bits + c - 1) / c;
  p.info_columns = ldpc_info_columns(p.base_graph, info_bits);
  p.lifting_size = ldpc_min_lifting_size((p.max_code_block_info + p.info_columns - 1) / p.info_columns);
  p.lifting_set = ldpc_lifting_set_index(p.lifting_size);
  const int sys_cols = p.base_graph == LdpcBaseGraph::bg1 ? 22 : 10;
  const int cols = p.base_graph == LdpcBaseGraph::bg1 ? 68 : 52;
  p.code_block_size = sys_cols * p.lifting_size;
  p.mother_length = cols * p.lifting_size;
  p.circular_buffer = (cols - 2) * p.lifting_size;

  const int larger_blocks = info_bits % c == 0 ? c : info_bits % c;  // blocks carrying K' bits
  int offset = 0;
  for (int r = 0; r < c; ++r) {
    const int kr = r < larger_blocks ? p.max_code_block_info : p.max_code_block_info - 1;
    p.block_info_bits.push_back(kr);
    p.block_info_offset.push_back(offset);
    offset += kr;
  }

  // §5.4.2.1 (Nl = 1, C' = C): the last mod(G/Qm, C) blocks get one more symbol than the others.
  const int symbols = coded_bits / bits_per_symbol;
  int coded_offset = 0;
  for (int r = 0; r < c; ++r) {
    const int e =
        r <= c - (symbols % c) - 1 ? bits_per_symbol * (symbols / c) : bits_per_symbol * ((symbols + c - 1) / c);
    if (e < 1) {
      throw invalid_config("--coderate", "LDPC: " + std::to_string(coded_bits) + " coded bits cannot carry " +
                                             std::to_string(c) + " code blocks");
    }
    p.block_coded_bits.push_back(e);
    p.block_coded_offset.push_back(coded_offset);
    coded_offset += e;
  }
  return p;
}

int ldpc_rv_start(LdpcBaseGraph graph, int lifting_size, int redundancy_version) {
  if (redundancy_version < 0 || redundancy_version > 3) {
    throw std::invalid_argument("LDPC: redundancy version must be 0..3, got " + std::to_string(redundancy_version));
  }
  static constexpr std::array<int, 4> kBg1 = {0, 17, 33, 56}, kBg2 = {0, 13, 25, 43};
  const bool bg1 = graph == LdpcBaseGraph::bg1;
  const int cols = bg1 ? 66 : 50;
  const int ncb = cols * lifting_size;
  const int c = bg1 ? kBg1[redundancy_version] : kBg2[redundancy_version];
  // floor(c · Ncb / (cols · Zc)) · Zc, in 64-bit to stay exact for any Ncb.
  return static_cast<int>(static_cast<long long>(c) * ncb / (static_cast<long long>(cols) * lifting_size)) *
         lifting_size;
}

}  // namespace sixg::phy
