#include "sixg/phy/ldpc/ldpc_stream_codec.h"

#include <stdexcept>
#include <string>

namespace sixg::phy {

LdpcStreamCodec::LdpcStreamCodec(int info_bits, int coded_bits, int bits_per_symbol, LdpcDecoderOptions options,
                                 int redundancy_version)
    : params_(ldpc_code_params(info_bits, coded_bits, bits_per_symbol)),
      encoder_(params_.base_graph, params_.lifting_size),
      decoder_(params_.base_graph, params_.lifting_size, options),
      codeword_(static_cast<std::size_t>(params_.mother_length)),
      codeword_llr_(static_cast<std::size_t>(params_.mother_length)) {
  rate_matchers_.reserve(static_cast<std::size_t>(params_.num_code_blocks));
  for (int r = 0; r < params_.num_code_blocks; ++r) {
    rate_matchers_.emplace_back(params_.base_graph, params_.lifting_size, params_.block_info_bits[r],
                                params_.block_coded_bits[r], bits_per_symbol, redundancy_version);
  }
}

LdpcStreamCodec::BitRange LdpcStreamCodec::code_block_info_bits(int block) const {
  return {params_.block_info_offset.at(static_cast<std::size_t>(block)),
          params_.block_info_bits.at(static_cast<std::size_t>(block))};
}

LdpcStreamCodec::BitRange LdpcStreamCodec::code_block_coded_bits(int block) const {
  return {params_.block_coded_offset.at(static_cast<std::size_t>(block)),
          params_.block_coded_bits.at(static_cast<std::size_t>(block))};
}

void LdpcStreamCodec::encode(std::span<const std::uint8_t> info, std::span<std::uint8_t> coded) {
  if (info.size() != static_cast<std::size_t>(params_.info_bits) ||
      coded.size() != static_cast<std::size_t>(params_.coded_bits)) {
    throw std::invalid_argument("LdpcStreamCodec::encode: expected " + std::to_string(params_.info_bits) + " -> " +
                                std::to_string(params_.coded_bits) + " bits");
  }
  for (int r = 0; r < params_.num_code_blocks; ++r) {
    const BitRange in = code_block_info_bits(r), out = code_block_coded_bits(r);
    encoder_.encode(info.subspan(in.offset, in.size), codeword_);
    rate_matchers_[r].rate_match(codeword_, coded.subspan(out.offset, out.size));
  }
}

int LdpcStreamCodec::decode(std::span<const float> llr, std::span<std::uint8_t> info) {
  if (llr.size() != static_cast<std::size_t>(params_.coded_bits) ||
      info.size() != static_cast<std::size_t>(params_.info_bits)) {
    throw std::invalid_argument("LdpcStreamCodec::decode: expected " + std::to_string(params_.coded_bits) + " -> " +
                                std::to_string(params_.info_bits) + " values");
  }
  int iterations = 0;
  for (int r = 0; r < params_.num_code_blocks; ++r) {
    const BitRange in = code_block_info_bits(r), out = code_block_coded_bits(r);
    rate_matchers_[r].rate_recover(llr.subspan(out.offset, out.size), codeword_llr_);
    iterations += decoder_.decode(codeword_llr_, info.subspan(in.offset, in.size));
  }
  return iterations;
}

}  // namespace sixg::phy
