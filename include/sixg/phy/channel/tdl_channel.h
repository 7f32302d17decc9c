// TdlChannel: TR 38.901 §7.7.2 tapped delay line, evaluated directly on the OFDM grid.
//
// h[r][t][l][k] = sum_d a_{r,t,d}(t_l) exp(-j 2 pi f_k tau_d), f_k = (k - fft_size/2) * subcarrier_spacing,
// tau_d = normalised delay * delay_spread, t_l = l * (fft_size + cp_length) / (fft_size * subcarrier_spacing).
// Shape [num_rx_ant, num_tx, num_time_samples(), fft_size], complex64. Powers are normalised to unit total
// power; (r, t) pairs are independent (identity spatial correlation, §7.7.4).
//
// Tap gains: each Rayleigh entry is CN(0, P_i), with Jakes time correlation J0(2 pi f_D dt) when
// speed > 0 (f_D = speed * f_c / c), drawn through a DopplerBasis. The LoS entry of D and E is
// sqrt(P_0) exp(j(2 pi f_D cos(pi/4) t + phi0)), phi0 uniform per frame and pair. Speed 0 gives one time
// sample per slot and no per-symbol work.
//
// Cost: the [distinct delays x fft_size] phasor table is built once at construction; generate() forms
// each pair's rank() Doppler components as linear combinations of its rows (the [pairs x taps] .
// [taps x fft_size] product) and each time sample as a real mix of those components; never a
// taps x REs tensor. Random numbers per frame and pair, in this order: phi0 (one uniform, LoS only),
// then rank() complex normals per Rayleigh entry in table order.
#pragma once

#include <cstddef>
#include <vector>

#include "sixg/phy/channel/channel_model.h"
#include "sixg/phy/channel/doppler_basis.h"
#include "sixg/phy/channel/tdl_profile.h"

namespace sixg::phy {

class TdlChannel final : public ChannelModel {
 public:
  /// Most table entries (and distinct delays) a profile may have; TR 38.901's have at most 24.
  static constexpr int kMaxEntries = 32;
  /// Most random components per tap and slot; exceeded only by a Doppler spread many times the slot
  /// rate with more than 32 OFDM symbols (then invalid_config("--speed")).
  static constexpr int kMaxDopplerRank = 32;

  /// Any profile (the factory passes the embedded tables; tests may pass their own).
  TdlChannel(const ChannelConfig& config, const TdlProfile& profile);

  [[nodiscard]] int num_time_samples() const override { return num_time_samples_; }
  void generate(RandomStream& rng, std::span<cf32> h) const override;

  /// Complex normals drawn per Rayleigh entry and pair (1 when static).
  [[nodiscard]] int doppler_rank() const { return basis_.rank(); }
  /// Bytes held by the precomputed tables (phasors, Doppler basis).
  [[nodiscard]] std::size_t table_bytes() const;

  /// Subcarriers are processed in blocks of this many floats (32 complex values), so a pair's Doppler
  /// components fit a fixed stack array and the sums stay in registers.
  static constexpr std::size_t kBlockFloats = 64;

 private:
  struct RayleighEntry {
    int column;       // index of its delay among the distinct delays
    float amplitude;  // sqrt of its normalised power
  };

  int num_pairs_;
  int fft_size_;
  int num_time_samples_;
  int num_columns_;             // distinct delays
  std::size_t num_blocks_ = 0;  // ceil(2 * fft_size / kBlockFloats)
  // exp(-j 2 pi f_k tau_d) as interleaved floats, and the same times j, i.e. (-imag, real), so that a
  // complex gain times a phasor is two real multiply-adds; [num_blocks][num_columns][2][kBlockFloats].
  std::vector<float> phasors_;
  std::vector<RayleighEntry> rayleigh_;
  bool los_ = false;
  int los_column_ = 0;
  float los_amplitude_ = 0.0f;
  std::vector<cf32> los_rotation_;  // [num_time_samples]: exp(j 2 pi f_D cos(pi/4) t_l)
  DopplerBasis basis_;
};

}  // namespace sixg::phy
