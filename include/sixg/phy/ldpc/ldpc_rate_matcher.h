// Rate matching of one LDPC code block (TS 38.212 §5.4.2) and its inverse.
//
// Bit selection (§5.4.2.1): the circular buffer is the codeword without its first 2·Zc (punctured)
// bits, Ncb = N = 66·Zc (BG1) / 50·Zc (BG2); E bits are read from k0 (redundancy version, Table
// 5.4.2.1-2) on, wrapping around, skipping filler bits (codeword positions [K', K)).
// Bit interleaving (§5.4.2.2): the E bits e are written row by row into Qm rows of E/Qm columns and
// read column by column: f[i + j·Qm] = e[i·E/Qm + j].
//
// rate_match:   codeword [68·Zc or 52·Zc] uint8 bits -> f [E] uint8 bits.
// rate_recover: LLRs of f [E] float -> codeword LLRs [68·Zc or 52·Zc] float: the sum of the LLRs of
//               every transmitted copy of a bit (repetition when E > N minus filler), 0 for punctured,
//               filler and never transmitted bits. Any LLR sign convention passes through unchanged.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "sixg/phy/ldpc/ldpc_base_graph.h"

namespace sixg::phy {

class LdpcRateMatcher {
 public:
  /// One code block with `info_bits` = K' information bits (fillers [K', K)), `output_bits` = E
  /// (a multiple of `bits_per_symbol` = Qm), redundancy version 0..3.
  LdpcRateMatcher(LdpcBaseGraph graph, int lifting_size, int info_bits, int output_bits, int bits_per_symbol,
                  int redundancy_version = 0);

  [[nodiscard]] int output_bits() const { return static_cast<int>(source_.size()); }  // E
  [[nodiscard]] int codeword_length() const { return codeword_length_; }
  [[nodiscard]] int start_position() const { return k0_; }  // k0 in the circular buffer
  /// Codeword position of each output bit f[i] (after interleaving).
  [[nodiscard]] std::span<const std::uint32_t> source_positions() const { return source_; }

  void rate_match(std::span<const std::uint8_t> codeword, std::span<std::uint8_t> out) const;
  void rate_recover(std::span<const float> llr, std::span<float> codeword_llr) const;

 private:
  int codeword_length_ = 0;
  int k0_ = 0;
  std::vector<std::uint32_t> source_;
};

}  // namespace sixg::phy
