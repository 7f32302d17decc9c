// KroneckerPilots: the pilot values of Sionna's KroneckerPilotPattern (DESIGN §3 "Pilots").
//
// On every pilot OFDM symbol, stream s (global index over all UTs, 0 <= s < S_tot) owns subcarriers
// s, s + S_tot, s + 2 S_tot, ... and sends random QPSK there; every other stream is silent on those
// subcarriers. The pilots of different streams therefore never overlap (orthogonal in frequency),
// and LS estimation needs no matrix inversion. Non-zero pilots have |p|^2 = S_tot, so each stream's
// pilot REs carry unit energy on average, like its data REs.
#pragma once

#include <cstdint>
#include <vector>

#include "sixg/phy/grid/grid_config.h"
#include "sixg/phy/types.h"

namespace sixg::phy {

class KroneckerPilots {
 public:
  /// Draws the pilots from RandomStream(seed, 0, 0, RandomPurpose::pilots): the same for every frame
  /// and Eb/N0 point of a run. Throws invalid_config (validate_grid_config).
  KroneckerPilots(const GridConfig& config, std::uint64_t seed);

  /// Pilot of stream s on pilot symbol index p (0..P-1) at subcarrier k: non-zero (|p|^2 = S_tot) iff
  /// k % S_tot == s.
  [[nodiscard]] cf32 pilot(int s, int p, int k) const {
    return k % num_streams_ == s ? values_[static_cast<std::size_t>(p) * fft_size_ + k] : cf32{};
  }
  /// The non-zero pilot on pilot symbol p at subcarrier k; it belongs to stream k % S_tot.
  [[nodiscard]] cf32 pilot_at(int p, int k) const { return values_[static_cast<std::size_t>(p) * fft_size_ + k]; }
  /// |p|^2 of every non-zero pilot (= S_tot).
  [[nodiscard]] float pilot_energy() const { return static_cast<float>(num_streams_); }

  [[nodiscard]] int num_streams() const { return num_streams_; }
  [[nodiscard]] int num_pilot_symbols() const { return num_pilot_symbols_; }
  [[nodiscard]] int fft_size() const { return fft_size_; }

 private:
  int num_streams_;
  int num_pilot_symbols_;
  int fft_size_;
  std::vector<cf32> values_;  // [P, fft_size]: the owner of subcarrier k is stream k % S_tot
};

}  // namespace sixg::phy
