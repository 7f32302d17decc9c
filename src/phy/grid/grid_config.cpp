#include "sixg/phy/grid/grid_config.h"

#include <string>
#include <vector>

#include "sixg/phy/types.h"

namespace sixg::phy {

void validate_grid_config(const GridConfig& config) {
  auto require = [](bool ok, const char* option, const std::string& message) {
    if (!ok) throw invalid_config(option, std::string(option) + ": " + message);
  };
  require(config.num_streams >= 1, "--num-ut", "the grid needs at least one stream");
  require(config.fft_size >= 1, "--fft-size", "must be at least 1");
  require(config.num_ofdm_symbols >= 1, "--num-ofdm-symbols", "must be at least 1");
  std::vector<bool> is_pilot(static_cast<std::size_t>(config.num_ofdm_symbols), false);
  for (int l : config.pilot_symbols) {
    require(l >= 0 && l < config.num_ofdm_symbols, "--pilot-symbols",
            "symbol " + std::to_string(l) + " is outside [0, " + std::to_string(config.num_ofdm_symbols) + ")");
    require(!is_pilot[static_cast<std::size_t>(l)], "--pilot-symbols", "lists symbol " + std::to_string(l) + " twice");
    is_pilot[static_cast<std::size_t>(l)] = true;
  }
  require(config.num_data_symbols() >= 1, "--pilot-symbols", "leaves no OFDM symbol for data");
  if (!config.pilot_symbols.empty()) {
    require(config.fft_size % config.num_streams == 0, "--fft-size",
            "must be a multiple of the number of streams (" + std::to_string(config.num_streams) +
                ") for Kronecker pilots");
  }
}

}  // namespace sixg::phy
