// ResourceGrid: places data symbols and Kronecker pilots on the OFDM grid of one slot, and takes the
// data REs back out of a received grid.
//
// Layouts (row-major, one frame):
//   data    [R, N_data]                      complex64, N_data = num_data_symbols * fft_size,
//                                            symbol-major: element (r, i * fft_size + k) is data
//                                            symbol i (the i-th non-pilot OFDM symbol) at subcarrier k
//   tx grid [S_tot, num_ofdm_symbols, fft_size]  complex64 (map)
//   grid    [R, num_ofdm_symbols, fft_size]  complex64 (extract_data, any leading size R, e.g. the
//                                            receive antennas)
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "sixg/phy/grid/grid_config.h"
#include "sixg/phy/grid/kronecker_pilots.h"
#include "sixg/phy/types.h"

namespace sixg::phy {

class ResourceGrid {
 public:
  /// Builds the grid and its pilots (KroneckerPilots(config, seed)). Throws invalid_config.
  ResourceGrid(const GridConfig& config, std::uint64_t seed);

  /// data [S_tot, N_data] -> tx grid [S_tot, num_ofdm_symbols, fft_size]: data on the data symbols,
  /// each stream's pilots on the pilot symbols (zero where another stream owns the subcarrier).
  void map(std::span<const cf32> data, std::span<cf32> grid) const;

  /// The pilot half of map(): writes the pilot symbols of tx grid [S_tot, num_ofdm_symbols, fft_size]
  /// and leaves the data symbols alone, for a caller that writes the data rows in place with data_row()
  /// (the pipeline's mapper maps straight into the grid).
  void map_pilots(std::span<cf32> grid) const;

  /// The fft_size REs of tx grid [S_tot, num_ofdm_symbols, fft_size] that carry data symbol i of stream s
  /// (the row of OFDM symbol data_symbol(i)): where map() puts data[s, i * fft_size ...].
  [[nodiscard]] std::span<cf32> data_row(std::span<cf32> grid, int stream, int i) const;

  /// grid [R, num_ofdm_symbols, fft_size] -> data [R, N_data], R = grid.size() / (symbols * fft_size):
  /// the inverse of map on the data REs (for R = S_tot), and the receiver's view of its data REs.
  void extract_data(std::span<const cf32> grid, std::span<cf32> data) const;

  [[nodiscard]] const GridConfig& config() const { return config_; }
  [[nodiscard]] const KroneckerPilots& pilots() const { return pilots_; }
  [[nodiscard]] int num_streams() const { return config_.num_streams; }
  [[nodiscard]] int fft_size() const { return config_.fft_size; }
  [[nodiscard]] int num_ofdm_symbols() const { return config_.num_ofdm_symbols; }
  [[nodiscard]] int num_data_symbols() const { return static_cast<int>(data_symbols_.size()); }
  /// Data REs per stream: (num_ofdm_symbols - P) * fft_size.
  [[nodiscard]] int num_data_res() const { return num_data_symbols() * config_.fft_size; }
  /// OFDM symbol index of the i-th data symbol (0 <= i < num_data_symbols()).
  [[nodiscard]] int data_symbol(int i) const { return data_symbols_[static_cast<std::size_t>(i)]; }
  /// Pilot index p (0..P-1) of OFDM symbol l, or -1 when l carries data.
  [[nodiscard]] int pilot_index(int l) const { return pilot_index_[static_cast<std::size_t>(l)]; }

 private:
  GridConfig config_;
  KroneckerPilots pilots_;
  std::vector<int> data_symbols_;  // ascending OFDM symbol indices without pilots
  std::vector<int> pilot_index_;   // [num_ofdm_symbols]
};

}  // namespace sixg::phy
