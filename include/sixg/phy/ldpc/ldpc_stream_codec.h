// 5G NR LDPC for one stream and slot (TS 38.212 §5.2.2–§5.5 without CRC): k information bits in G
// coded bits, Qm bits per symbol. See ldpc_code_params.h for segmentation and lengths.
//
// encode: info [k] uint8 bits (0/1) -> coded [G] uint8 bits: per code block r, encode (K'_r bits plus
//         filler), rate-match to E_r bits and interleave; code blocks concatenated in order (§5.5).
// decode: llr [G] float32, ln(P(b=1)/P(b=0)) (Sionna's sign) -> info [k] uint8 hard decisions:
//         per code block de-interleave, de-rate-match (repeated bits' LLRs add up, punctured and
//         untransmitted bits get 0, fillers are known 0) and layered BP decoding.
// A "block" of BLER is a code block: code_block_info_bits(r) gives the information bits it carries.
//
// Buffers are allocated at construction; encode() and decode() allocate nothing and change the
// codec's workspace, so each thread needs its own codec.
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "sixg/phy/ldpc/ldpc_code_params.h"
#include "sixg/phy/ldpc/ldpc_decoder.h"
#include "sixg/phy/ldpc/ldpc_encoder.h"
#include "sixg/phy/ldpc/ldpc_rate_matcher.h"

namespace sixg::phy {

class LdpcStreamCodec {
 public:
  /// Throws sixg::phy::invalid_config for impossible sizes (see ldpc_code_params()).
  LdpcStreamCodec(int info_bits, int coded_bits, int bits_per_symbol, LdpcDecoderOptions options = {},
                  int redundancy_version = 0);

  [[nodiscard]] const LdpcCodeParams& params() const { return params_; }
  [[nodiscard]] int info_bits() const { return params_.info_bits; }    // k
  [[nodiscard]] int coded_bits() const { return params_.coded_bits; }  // G
  [[nodiscard]] int num_code_blocks() const { return params_.num_code_blocks; }

  struct BitRange {
    int offset;
    int size;
  };
  /// The information bits that code block `block` carries: [offset, offset + size) of the k bits.
  [[nodiscard]] BitRange code_block_info_bits(int block) const;
  /// The same as [begin, end) indices into the k information bits.
  [[nodiscard]] std::pair<std::size_t, std::size_t> code_block_info_range(int block) const {
    const BitRange r = code_block_info_bits(block);
    return {static_cast<std::size_t>(r.offset), static_cast<std::size_t>(r.offset + r.size)};
  }
  /// The coded bits that code block `block` occupies: [offset, offset + E_r) of the G bits.
  [[nodiscard]] BitRange code_block_coded_bits(int block) const;

  void encode(std::span<const std::uint8_t> info, std::span<std::uint8_t> coded);
  /// Returns the iterations run, summed over the code blocks.
  int decode(std::span<const float> llr, std::span<std::uint8_t> info);

 private:
  LdpcCodeParams params_;
  LdpcEncoder encoder_;
  LdpcDecoder decoder_;
  std::vector<LdpcRateMatcher> rate_matchers_;  // one per code block
  std::vector<std::uint8_t> codeword_;          // workspace [68·Zc or 52·Zc]
  std::vector<float> codeword_llr_;             // workspace [68·Zc or 52·Zc]
};

}  // namespace sixg::phy
