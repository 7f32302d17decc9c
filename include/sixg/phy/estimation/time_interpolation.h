// TimeInterpolation: which pilot-symbol estimates, with which weights, give the channel of each data
// OFDM symbol.
//
// The LS estimator keeps its estimate only at the P pilot symbols ([A, S_tot, P, fft_size]) instead of
// per OFDM symbol, which would be num_ofdm_symbols / P times larger. The detector stage forms the
// channel of a data RE as sum_i w_i * h_hat[.., pilot_i, k] from the combination of its data symbol.
// Consecutive data symbols that share a combination form a group: one detector filter serves them all.
#pragma once

#include <array>
#include <span>
#include <vector>

#include "sixg/phy/estimation/interpolation_kind.h"
#include "sixg/phy/grid/grid_config.h"

namespace sixg::phy {

/// h(data symbol) = sum_{i < num_terms} weight[i] * h(pilot symbol index pilot[i]).
struct TimeCombination {
  int num_terms = 1;                  // 1 or 2
  std::array<int, 2> pilot{0, 0};     // pilot indices p (positions in GridConfig::pilot_symbols)
  std::array<float, 2> weight{1, 0};  // non-negative, summing to 1

  friend bool operator==(const TimeCombination&, const TimeCombination&) = default;
};

/// Data symbols first .. first + count - 1 (indices into the data symbols, 0..num_data_symbols-1,
/// i.e. the symbol axis of the [.., N_data] data layout) share `combination`.
struct DataSymbolGroup {
  int first = 0;
  int count = 0;
  TimeCombination combination;
};

class TimeInterpolation {
 public:
  /// nearest: the nearest pilot symbol (weight 1; equal distance -> the earlier one).
  /// linear: the two surrounding pilot symbols, weights by distance; before the first or after the last
  /// pilot symbol, the nearest one. Throws invalid_config when the grid has no pilot symbols.
  TimeInterpolation(const GridConfig& config, InterpolationKind kind);

  [[nodiscard]] int num_data_symbols() const { return static_cast<int>(combinations_.size()); }
  /// Combination of data symbol i (0 <= i < num_data_symbols()).
  [[nodiscard]] const TimeCombination& combination(int i) const { return combinations_[static_cast<std::size_t>(i)]; }
  /// Maximal runs of consecutive data symbols with the same combination, in order; they cover every
  /// data symbol exactly once.
  [[nodiscard]] std::span<const DataSymbolGroup> groups() const { return groups_; }

 private:
  std::vector<TimeCombination> combinations_;
  std::vector<DataSymbolGroup> groups_;
};

}  // namespace sixg::phy
