#include "sixg/phy/ldpc/ldpc_rate_matcher.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "sixg/phy/ldpc/ldpc_code_params.h"

namespace sixg::phy {

LdpcRateMatcher::LdpcRateMatcher(LdpcBaseGraph graph, int lifting_size, int info_bits, int output_bits,
                                 int bits_per_symbol, int redundancy_version) {
  const auto& table = ldpc_base_graph(graph);
  const int z = lifting_size;
  const int k = table.num_info_cols() * z;
  codeword_length_ = table.num_cols() * z;
  const int ncb = codeword_length_ - 2 * z;
  if (info_bits < 1 || info_bits > k) {
    throw std::invalid_argument("LdpcRateMatcher: need 1 <= K' <= K = " + std::to_string(k));
  }
  if (bits_per_symbol < 1 || output_bits < 1 || output_bits % bits_per_symbol != 0) {
    throw std::invalid_argument("LdpcRateMatcher: E = " + std::to_string(output_bits) +
                                " must be a positive multiple of Qm = " + std::to_string(bits_per_symbol));
  }
  k0_ = ldpc_rv_start(graph, z, redundancy_version);

  // §5.4.2.1 bit selection, in codeword positions (circular-buffer index + 2·Zc).
  std::vector<std::uint32_t> selected(static_cast<std::size_t>(output_bits));
  const int filler_begin = info_bits - 2 * z, filler_end = k - 2 * z;  // filler in buffer coordinates
  for (int i = 0, j = 0; i < output_bits; ++j) {
    const int pos = (k0_ + j) % ncb;
    if (pos >= filler_begin && pos < filler_end) continue;
    selected[static_cast<std::size_t>(i++)] = static_cast<std::uint32_t>(pos + 2 * z);
  }

  // §5.4.2.2 interleaving: f[i + j·Qm] = e[i·E/Qm + j].
  source_.resize(selected.size());
  const int columns = output_bits / bits_per_symbol;
  for (int j = 0; j < columns; ++j) {
    for (int i = 0; i < bits_per_symbol; ++i) {
      source_[static_cast<std::size_t>(i + j * bits_per_symbol)] = selected[static_cast<std::size_t>(i * columns + j)];
    }
  }
}

void LdpcRateMatcher::rate_match(std::span<const std::uint8_t> codeword, std::span<std::uint8_t> out) const {
  if (codeword.size() != static_cast<std::size_t>(codeword_length_) || out.size() != source_.size()) {
    throw std::invalid_argument("LdpcRateMatcher::rate_match: wrong buffer sizes");
  }
  for (std::size_t i = 0; i < source_.size(); ++i) out[i] = codeword[source_[i]];
}

void LdpcRateMatcher::rate_recover(std::span<const float> llr, std::span<float> codeword_llr) const {
  if (codeword_llr.size() != static_cast<std::size_t>(codeword_length_) || llr.size() != source_.size()) {
    throw std::invalid_argument("LdpcRateMatcher::rate_recover: wrong buffer sizes");
  }
  std::fill(codeword_llr.begin(), codeword_llr.end(), 0.0f);
  for (std::size_t i = 0; i < source_.size(); ++i) codeword_llr[source_[i]] += llr[i];
}

}  // namespace sixg::phy
