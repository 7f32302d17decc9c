#include "sixg/phy/qam/constellation.h"

#include <array>
#include <cmath>

namespace sixg::phy {

namespace {

/// The axis label (MSB-first, k bits) formed by the symbol bits b(first), b(first+2), ...
unsigned axis_label_of(unsigned symbol_label, int bits_per_symbol, int first) {
  unsigned axis = 0;
  for (int i = first; i < bits_per_symbol; i += 2) {
    axis = (axis << 1) | ((symbol_label >> (bits_per_symbol - 1 - i)) & 1u);
  }
  return axis;
}

}  // namespace

Constellation::Constellation(Modulation m) : modulation_(m) {
  const int k = bits_per_axis();
  const int levels = 1 << k;
  // Average energy of the odd-integer PAM ±1, ±3, ..., ±(L-1) is (L²-1)/3 per axis; two axes.
  scale_ = static_cast<float>(1.0 / std::sqrt(2.0 * (levels * levels - 1) / 3.0));

  axis_levels_.resize(static_cast<std::size_t>(levels));
  for (int label = 0; label < levels; ++label) {
    axis_levels_[static_cast<std::size_t>(label)] =
        static_cast<float>(pam_amplitude(static_cast<unsigned>(label), k)) * scale_;
  }

  const int m_bits = bits_per_symbol();
  points_.resize(std::size_t{1} << m_bits);
  for (unsigned label = 0; label < points_.size(); ++label) {
    points_[label] = {axis_levels_[axis_label_of(label, m_bits, 0)], axis_levels_[axis_label_of(label, m_bits, 1)]};
  }
}

const Constellation& Constellation::of(Modulation m) {
  static_assert(static_cast<int>(Modulation::qpsk) == 0 && static_cast<int>(Modulation::qam1024) == 4,
                "the table below is indexed by the enumerator's value");
  static const std::array<Constellation, 5> all{
      Constellation(Modulation::qpsk),   Constellation(Modulation::qam16),   Constellation(Modulation::qam64),
      Constellation(Modulation::qam256), Constellation(Modulation::qam1024),
  };
  return all[static_cast<std::size_t>(m)];
}

}  // namespace sixg::phy
