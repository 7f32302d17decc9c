#include "sixg/sim/scenario.h"

#include <algorithm>
#include <cmath>
#include <fmt/core.h>

namespace sixg::sim {

std::int64_t Scenario::info_bits_per_stream() const {
  const auto g = coded_bits_per_stream();
  if (code == CodeKind::none) return g;
  return static_cast<std::int64_t>(std::floor(coderate * static_cast<double>(g)));
}

bool Scenario::is_pilot_symbol(int l) const {
  return std::find(pilot_symbols.begin(), pilot_symbols.end(), l) != pilot_symbols.end();
}

double Scenario::noise_variance(double ebno_db) const {
  const double ebno = std::pow(10.0, ebno_db / 10.0);
  const double es = (1.0 / num_ut_ant) * num_ofdm_symbols * fft_size *
                    (1.0 + static_cast<double>(cp_length) / fft_size) / static_cast<double>(num_data_res());
  return es / (ebno * effective_rate() * bits_per_symbol());
}

void Scenario::validate() const {
  auto require = [](bool ok, const char* option, const std::string& message) {
    if (!ok) throw phy::invalid_config(option, fmt::format("{}: {}", option, message));
  };
  require(num_bs_ant >= 1 && num_bs_ant <= 1024, "--num-bs-ant", "must be an integer in [1, 1024]");
  require(num_ut >= 1 && num_ut <= 256, "--num-ut", "must be an integer in [1, 256]");
  require(num_ut_ant >= 1 && num_ut_ant <= 16, "--num-ut-ant", "must be an integer in [1, 16]");
  require(fft_size >= 1 && fft_size <= 65536, "--fft-size", "must be an integer in [1, 65536]");
  require(num_ofdm_symbols >= 1 && num_ofdm_symbols <= 1024, "--num-ofdm-symbols",
          "must be an integer in [1, 1024]");
  require(subcarrier_spacing > 0 && std::isfinite(subcarrier_spacing), "--subcarrier-spacing",
          "must be a positive frequency in Hz (e.g. 30e3)");
  require(cp_length >= 0 && cp_length <= fft_size, "--cp-length", "must be an integer in [0, fft-size]");
  for (int l : pilot_symbols) {
    require(l >= 0 && l < num_ofdm_symbols, "--pilot-symbols",
            fmt::format("symbol {} is outside [0, {}); give a comma list like 2,11 or 'none'", l,
                        num_ofdm_symbols));
  }
  {
    auto sorted = pilot_symbols;
    std::sort(sorted.begin(), sorted.end());
    require(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end(), "--pilot-symbols",
            "lists a symbol twice");
  }
  require(num_data_symbols() >= 1, "--pilot-symbols", "leaves no OFDM symbol for data");
  require(coderate > 0.0 && coderate < 1.0, "--coderate", "must be in (0, 1)");
  require(ldpc_iterations >= 1 && ldpc_iterations <= 1000, "--ldpc-iterations", "must be an integer in [1, 1000]");
  require(delay_spread >= 0 && delay_spread < 1e-3, "--delay-spread", "must be in [0, 1e-3) seconds (e.g. 100e-9)");
  require(speed >= 0 && speed < 1e4, "--speed", "must be in [0, 1e4) m/s");
  require(carrier_frequency > 0 && carrier_frequency < 1e12, "--carrier-frequency",
          "must be a positive frequency in Hz (e.g. 3.5e9)");
  if (!pilot_symbols.empty() && csi == CsiKind::ls) {
    require(fft_size % num_streams() == 0, "--fft-size",
            fmt::format("must be a multiple of the number of streams ({} = num-ut x num-ut-ant) for "
                        "Kronecker pilots",
                        num_streams()));
  }
  require(!(pilot_symbols.empty() && csi == CsiKind::ls), "--csi",
          "ls needs pilots; use --csi perfect with --pilot-symbols none");
  if (channel == ChannelKind::awgn) {
    require(num_bs_ant >= num_streams(), "--num-bs-ant",
            fmt::format("awgn maps each stream to its own receive antenna: needs at least {} (the number of "
                        "streams)",
                        num_streams()));
  }
  if (detector == DetectorKind::zf || detector == DetectorKind::lmmse) {
    if (detector == DetectorKind::zf) {
      require(num_bs_ant >= num_streams(), "--num-bs-ant",
              fmt::format("zf needs at least as many BS antennas as streams ({})", num_streams()));
    }
  }
  if (code == CodeKind::ldpc) {
    require(info_bits_per_stream() >= 1, "--coderate", "leaves no information bit per stream");
  }
}

}  // namespace sixg::sim
