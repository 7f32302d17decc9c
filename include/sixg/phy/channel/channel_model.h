// ChannelModel: the frequency response of the propagation channel for one frame, on the OFDM grid.
//
// Output h: [num_rx_ant, num_tx, num_time_samples(), fft_size], complex64, dense row-major, where
// num_tx counts streams (all UTs' antennas) and num_time_samples() is 1 when the channel is constant
// over the slot, else num_ofdm_symbols (one response per OFDM symbol). Subcarrier k sits at frequency
// (k - fft_size/2) * subcarrier_spacing (Sionna's centred order). Conventions are Sionna's (DESIGN §3,
// docs/channels.md): every RE's channel has unit mean power, antenna pairs are independent.
#pragma once

#include <memory>
#include <span>

#include "sixg/phy/random/random_stream.h"
#include "sixg/phy/types.h"

namespace sixg::phy {

enum class ChannelModelKind { awgn, rayleigh, tdl_a, tdl_b, tdl_c, tdl_d, tdl_e };

/// What a channel model needs from the scenario. Defaults are the seed scenario (DESIGN §3).
struct ChannelConfig {
  ChannelModelKind kind = ChannelModelKind::tdl_c;
  int num_rx_ant = 32;
  int num_tx = 16;  // total streams: all UTs' antennas
  int fft_size = 512;
  int num_ofdm_symbols = 14;
  double subcarrier_spacing = 30e3;  // Hz
  int cp_length = 36;                // samples
  double delay_spread = 100e-9;      // s (TDL only)
  double speed = 0.0;                // m/s (TDL only; 0 = constant over the slot)
  double carrier_frequency = 3.5e9;  // Hz (TDL only)
};

/// Throws invalid_config naming the option ("--fft-size", "--speed", ...) for a value no model accepts.
void validate_channel_config(const ChannelConfig& config);

/// One instance is shared read-only by all threads: generate() is const, touches no member state and
/// allocates nothing on the heap (its scratch is a few KiB of fixed-size stack arrays).
class ChannelModel {
 public:
  virtual ~ChannelModel() = default;

  /// Distinct time instants per slot in h: 1 when the channel is constant over the slot, else
  /// num_ofdm_symbols.
  [[nodiscard]] virtual int num_time_samples() const = 0;

  /// True when every subcarrier and time sample of a frame has the same matrix h[r][t] (AWGN, Rayleigh
  /// block fading): the caller may then pass h[:, :, 0, 0] to apply_flat_channel, a matrix product,
  /// instead of applying the full [R, T, time, fft_size] response RE by RE.
  [[nodiscard]] virtual bool frequency_flat() const { return false; }

  /// Writes one frame's frequency response into h, shape [num_rx_ant, num_tx, num_time_samples(),
  /// fft_size] (throws std::invalid_argument for another size). Every random number comes from `rng`,
  /// drawn in a fixed order, so the same stream gives a bit-identical h wherever h lies in memory.
  virtual void generate(RandomStream& rng, std::span<cf32> h) const = 0;

  /// Frequency-flat models only: writes the frame's one matrix, [num_rx_ant, num_tx] row-major, with
  /// exactly the draws generate() makes, so generate() is this matrix broadcast over [time, fft_size].
  /// Callers that know the channel is flat store this (R * S values) instead of the broadcast (R * S *
  /// fft_size). Throws std::invalid_argument for another size, std::logic_error on a model that is not
  /// frequency_flat().
  virtual void generate_matrix(RandomStream& rng, std::span<cf32> h) const;
};

/// Builds the model `config.kind` names. Throws invalid_config naming the option at fault, e.g.
/// "--num-bs-ant" for awgn with fewer receive antennas than streams.
std::unique_ptr<ChannelModel> make_channel_model(const ChannelConfig& config);

}  // namespace sixg::phy
