#include "sixg/phy/grid/resource_grid.h"

#include <algorithm>
#include <stdexcept>

namespace sixg::phy {

ResourceGrid::ResourceGrid(const GridConfig& config, std::uint64_t seed)
    : config_(config), pilots_(config, seed), pilot_index_(static_cast<std::size_t>(config.num_ofdm_symbols), -1) {
  for (int p = 0; p < config_.num_pilot_symbols(); ++p) {
    pilot_index_[static_cast<std::size_t>(config_.pilot_symbols[static_cast<std::size_t>(p)])] = p;
  }
  for (int l = 0; l < config_.num_ofdm_symbols; ++l) {
    if (pilot_index(l) < 0) data_symbols_.push_back(l);
  }
}

void ResourceGrid::map(std::span<const cf32> data, std::span<cf32> grid) const {
  const auto fft = static_cast<std::size_t>(config_.fft_size);
  const auto num_data = static_cast<std::size_t>(num_data_res());
  const auto symbols = static_cast<std::size_t>(config_.num_ofdm_symbols);
  const auto streams = static_cast<std::size_t>(config_.num_streams);
  if (data.size() != streams * num_data || grid.size() != streams * symbols * fft) {
    throw std::invalid_argument("ResourceGrid::map: data must be [S_tot, N_data], grid [S_tot, symbols, fft_size]");
  }
  for (std::size_t s = 0; s < streams; ++s) {
    for (std::size_t i = 0; i < data_symbols_.size(); ++i) {
      std::copy_n(data.data() + s * num_data + i * fft, fft,
                  data_row(grid, static_cast<int>(s), static_cast<int>(i)).data());
    }
  }
  map_pilots(grid);
}

std::span<cf32> ResourceGrid::data_row(std::span<cf32> grid, int stream, int i) const {
  const auto fft = static_cast<std::size_t>(config_.fft_size);
  const auto l = static_cast<std::size_t>(data_symbol(i));
  return grid.subspan((static_cast<std::size_t>(stream) * static_cast<std::size_t>(config_.num_ofdm_symbols) + l) * fft,
                      fft);
}

void ResourceGrid::map_pilots(std::span<cf32> grid) const {
  const auto fft = static_cast<std::size_t>(config_.fft_size);
  const auto symbols = static_cast<std::size_t>(config_.num_ofdm_symbols);
  const auto streams = static_cast<std::size_t>(config_.num_streams);
  if (grid.size() != streams * symbols * fft) {
    throw std::invalid_argument("ResourceGrid::map_pilots: grid must be [S_tot, symbols, fft_size]");
  }
  for (std::size_t s = 0; s < streams; ++s) {
    for (std::size_t l = 0; l < symbols; ++l) {
      const int p = pilot_index(static_cast<int>(l));
      if (p < 0) continue;
      cf32* row = grid.data() + (s * symbols + l) * fft;
      for (std::size_t k = 0; k < fft; ++k) {
        row[k] = pilots_.pilot(static_cast<int>(s), p, static_cast<int>(k));
      }
    }
  }
}

void ResourceGrid::extract_data(std::span<const cf32> grid, std::span<cf32> data) const {
  const auto fft = static_cast<std::size_t>(config_.fft_size);
  const auto num_data = static_cast<std::size_t>(num_data_res());
  const auto symbols = static_cast<std::size_t>(config_.num_ofdm_symbols);
  const std::size_t rows = grid.size() / (symbols * fft);
  if (grid.size() != rows * symbols * fft || data.size() != rows * num_data) {
    throw std::invalid_argument("ResourceGrid::extract_data: grid must be [R, symbols, fft_size], data [R, N_data]");
  }
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t i = 0; i < data_symbols_.size(); ++i) {
      const auto l = static_cast<std::size_t>(data_symbols_[i]);
      std::copy_n(grid.data() + (r * symbols + l) * fft, fft, data.data() + r * num_data + i * fft);
    }
  }
}

}  // namespace sixg::phy
