// Mapper: bits to TS 38.211 §5.1 QAM symbols by one table look-up per symbol.
//
//   bits    [n · m]  uint8    one bit per byte; symbol s takes bits[s·m .. s·m + m-1] as b(0..m-1).
//                             Only the lowest bit of each byte is read.
//   symbols [n]      cf32     unit average energy (see constellation.h for the labelling).
//
// A Mapper is a small value (modulation + pointer to the shared constellation); map() is const,
// allocation-free and safe to call from several threads at once.
#pragma once

#include <cstdint>
#include <span>

#include "sixg/phy/qam/constellation.h"
#include "sixg/phy/types.h"

namespace sixg::phy {

class Mapper {
 public:
  explicit Mapper(Modulation m);

  [[nodiscard]] Modulation modulation() const { return modulation_; }
  [[nodiscard]] int bits_per_symbol() const { return sixg::phy::bits_per_symbol(modulation_); }

  /// Maps bits to symbols. Throws std::invalid_argument unless bits.size() == m · symbols.size().
  void map(std::span<const std::uint8_t> bits, std::span<cf32> symbols) const;

 private:
  Modulation modulation_;
  const cf32* points_;  // Constellation::of(modulation_).points(), indexed by MSB-first label
};

}  // namespace sixg::phy
