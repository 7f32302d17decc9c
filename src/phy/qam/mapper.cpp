#include "sixg/phy/qam/mapper.h"

#include <stdexcept>
#include <string>

namespace sixg::phy {

namespace {

/// The symbol loop with m known at compile time, so the label assembly unrolls into m loads and ors.
template <int M>
void map_with_table(const std::uint8_t* bits, const cf32* points, cf32* symbols, std::size_t num_symbols) {
  for (std::size_t s = 0; s < num_symbols; ++s) {
    const std::uint8_t* b = bits + s * M;
    unsigned label = 0;
    for (int i = 0; i < M; ++i) label = (label << 1) | (b[i] & 1u);
    symbols[s] = points[label];
  }
}

}  // namespace

Mapper::Mapper(Modulation m) : modulation_(m), points_(Constellation::of(m).points().data()) {}

void Mapper::map(std::span<const std::uint8_t> bits, std::span<cf32> symbols) const {
  const auto m = static_cast<std::size_t>(bits_per_symbol());
  if (bits.size() != m * symbols.size()) {
    throw std::invalid_argument("Mapper::map: " + std::to_string(bits.size()) + " bits do not fill " +
                                std::to_string(symbols.size()) + " symbols of " + std::to_string(m) + " bits");
  }
  switch (modulation_) {
    case Modulation::qpsk: return map_with_table<2>(bits.data(), points_, symbols.data(), symbols.size());
    case Modulation::qam16: return map_with_table<4>(bits.data(), points_, symbols.data(), symbols.size());
    case Modulation::qam64: return map_with_table<6>(bits.data(), points_, symbols.data(), symbols.size());
    case Modulation::qam256: return map_with_table<8>(bits.data(), points_, symbols.data(), symbols.size());
    case Modulation::qam1024: return map_with_table<10>(bits.data(), points_, symbols.data(), symbols.size());
  }
}

}  // namespace sixg::phy
