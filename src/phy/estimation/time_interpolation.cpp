#include "sixg/phy/estimation/time_interpolation.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "sixg/phy/types.h"

namespace sixg::phy {

namespace {

/// Pilot symbols as (OFDM symbol, pilot index), ascending in the symbol.
std::vector<std::pair<int, int>> sorted_pilots(const GridConfig& config) {
  std::vector<std::pair<int, int>> pilots;
  for (int p = 0; p < config.num_pilot_symbols(); ++p) {
    pilots.emplace_back(config.pilot_symbols[static_cast<std::size_t>(p)], p);
  }
  std::sort(pilots.begin(), pilots.end());
  return pilots;
}

TimeCombination nearest(const std::vector<std::pair<int, int>>& pilots, int l) {
  // Ascending order and a strict comparison keep the earlier symbol on a tie.
  auto best = pilots.front();
  for (const auto& candidate : pilots) {
    if (std::abs(candidate.first - l) < std::abs(best.first - l)) best = candidate;
  }
  return TimeCombination{1, {best.second, best.second}, {1.0f, 0.0f}};
}

TimeCombination linear(const std::vector<std::pair<int, int>>& pilots, int l) {
  if (l <= pilots.front().first || l >= pilots.back().first) return nearest(pilots, l);
  const auto after = std::find_if(pilots.begin(), pilots.end(), [l](const auto& pilot) { return pilot.first > l; });
  const auto before = after - 1;
  const float w_after = static_cast<float>(l - before->first) / static_cast<float>(after->first - before->first);
  return TimeCombination{2, {before->second, after->second}, {1.0f - w_after, w_after}};
}

}  // namespace

TimeInterpolation::TimeInterpolation(const GridConfig& config, InterpolationKind kind) {
  validate_grid_config(config);
  if (config.pilot_symbols.empty()) {
    throw invalid_config("--pilot-symbols", "--pilot-symbols: channel estimation needs at least one pilot symbol");
  }
  const auto pilots = sorted_pilots(config);
  for (int l = 0; l < config.num_ofdm_symbols; ++l) {
    if (std::find(config.pilot_symbols.begin(), config.pilot_symbols.end(), l) != config.pilot_symbols.end()) continue;
    combinations_.push_back(kind == InterpolationKind::nearest ? nearest(pilots, l) : linear(pilots, l));
  }
  for (int i = 0; i < num_data_symbols(); ++i) {
    if (groups_.empty() || !(groups_.back().combination == combination(i))) {
      groups_.push_back(DataSymbolGroup{i, 0, combination(i)});
    }
    ++groups_.back().count;
  }
}

}  // namespace sixg::phy
