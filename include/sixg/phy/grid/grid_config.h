// GridConfig: the shape of one slot's OFDM resource grid (streams, subcarriers, symbols, pilots).
#pragma once

#include <vector>

namespace sixg::phy {

/// One slot of the resource grid shared by all streams of all UTs.
struct GridConfig {
  int num_streams = 16;             // S_tot: streams of all UTs together (global stream index 0..S_tot-1)
  int fft_size = 512;               // subcarriers per OFDM symbol (all carry data or pilots; no guards)
  int num_ofdm_symbols = 14;        // OFDM symbols per slot
  // OFDM symbol indices that carry pilots (no data there). Pilot index p (0..P-1) is the position in
  // this list; the list need not be sorted.
  std::vector<int> pilot_symbols{2, 11};

  [[nodiscard]] int num_pilot_symbols() const { return static_cast<int>(pilot_symbols.size()); }
  [[nodiscard]] int num_data_symbols() const { return num_ofdm_symbols - num_pilot_symbols(); }
  /// Data REs per stream and slot: N_data = (num_ofdm_symbols - P) * fft_size.
  [[nodiscard]] int num_data_res() const { return num_data_symbols() * fft_size; }
};

/// Checks the grid: sizes positive, pilot symbols distinct and inside the slot, at least one
/// data symbol, and (when there are pilots) fft_size a multiple of num_streams as Kronecker pilots need.
/// Throws invalid_config naming the command-line option at fault (--fft-size, --pilot-symbols, ...).
void validate_grid_config(const GridConfig& config);

}  // namespace sixg::phy
