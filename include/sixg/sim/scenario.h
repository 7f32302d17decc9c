// Scenario: every option of `sixg simulate/estimate/plan` (DESIGN §4) and the quantities derived
// from them (streams, data REs, code lengths, the Eb/N0 -> N0 mapping of DESIGN §3).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sixg/phy/types.h"

namespace sixg::sim {

enum class ChannelKind { awgn, rayleigh, tdl_a, tdl_b, tdl_c, tdl_d, tdl_e };
enum class CsiKind { perfect, ls };
enum class InterpolationKind { nearest, linear };
enum class DetectorKind { lmmse, zf, mrc };
enum class CodeKind { ldpc, none };
enum class DemapKind { max_log, app };
enum class CheckUpdate { normalized_min_sum, offset_min_sum, sum_product };

/// The link: antennas, grid, modulation, code, channel, receiver. Defaults are the seed scenario.
struct Scenario {
  int num_bs_ant = 32;
  int num_ut = 8;
  int num_ut_ant = 2;  // one stream per UT antenna
  int fft_size = 512;
  int num_ofdm_symbols = 14;
  double subcarrier_spacing = 30e3;  // Hz
  int cp_length = 36;                // samples
  std::vector<int> pilot_symbols{2, 11};
  phy::Modulation modulation = phy::Modulation::qpsk;
  CodeKind code = CodeKind::ldpc;
  double coderate = 0.5;
  int ldpc_iterations = 20;
  CheckUpdate ldpc_check_update = CheckUpdate::offset_min_sum;  // 0.15 dB better than NMS 0.75 at r=1/2 (docs/ldpc.md)
  ChannelKind channel = ChannelKind::tdl_c;
  double delay_spread = 100e-9;       // s
  double speed = 0.0;                 // m/s
  double carrier_frequency = 3.5e9;   // Hz
  CsiKind csi = CsiKind::ls;
  InterpolationKind interpolation = InterpolationKind::nearest;
  DetectorKind detector = DetectorKind::lmmse;
  DemapKind demapper = DemapKind::max_log;

  // Derived quantities.
  [[nodiscard]] int num_streams() const { return num_ut * num_ut_ant; }
  [[nodiscard]] int bits_per_symbol() const { return phy::bits_per_symbol(modulation); }
  [[nodiscard]] int num_data_symbols() const {
    return num_ofdm_symbols - static_cast<int>(pilot_symbols.size());
  }
  /// Data REs per stream and slot (Kronecker pilots occupy whole OFDM symbols).
  [[nodiscard]] std::int64_t num_data_res() const {
    return static_cast<std::int64_t>(num_data_symbols()) * fft_size;
  }
  /// Coded bits per stream and slot, G = N_data * m.
  [[nodiscard]] std::int64_t coded_bits_per_stream() const { return num_data_res() * bits_per_symbol(); }
  [[nodiscard]] double effective_rate() const { return code == CodeKind::none ? 1.0 : coderate; }
  /// Information bits per stream and slot, k = floor(r * G) (G when uncoded).
  [[nodiscard]] std::int64_t info_bits_per_stream() const;
  [[nodiscard]] bool is_pilot_symbol(int l) const;
  /// True when the channel does not change over the slot, so it may be held once per slot.
  [[nodiscard]] bool channel_static_in_slot() const {
    return speed == 0.0 || channel_frequency_flat();
  }
  /// True when one matrix serves every RE of a frame (AWGN, Rayleigh block fading): the pipeline then
  /// holds only that [num_bs_ant, streams] matrix per frame (phy::ChannelModel::generate_matrix).
  [[nodiscard]] bool channel_frequency_flat() const {
    return channel == ChannelKind::awgn || channel == ChannelKind::rayleigh;
  }

  /// Noise variance per RE and receive antenna for an Eb/N0 in dB: Sionna's ebnodb2no with a
  /// resource grid, N0 = Es / (EbN0 * r * m), Es = (1/S_tx) * N_sym * N_fft * (1 + N_cp/N_fft) / N_data.
  [[nodiscard]] double noise_variance(double ebno_db) const;

  /// Checks every value; throws phy::invalid_config naming the option and what is allowed.
  void validate() const;
};

}  // namespace sixg::sim
