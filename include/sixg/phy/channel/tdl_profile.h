// TdlProfile: one tapped-delay-line table of TR 38.901 §7.7.2 (Tables 7.7.2-1 ... 7.7.2-5), read from
// the embedded data/3gpp/TDL-*.json.
#pragma once

#include <string_view>
#include <vector>

#include "sixg/phy/channel/channel_model.h"

namespace sixg::phy {

/// Taps as the standard lists them. For a LoS profile (D, E) entry 0 is the specular part of tap 1
/// and entry 1 its Rayleigh part, both at delay 0 (K1 = P0 - P1 in dB); every other entry is a
/// Rayleigh tap.
struct TdlProfile {
  std::vector<double> normalized_delays;  // multiply by the delay spread for seconds
  std::vector<double> powers_db;          // as tabulated, not normalised
  bool los = false;

  [[nodiscard]] int num_entries() const { return static_cast<int>(powers_db.size()); }
  /// Linear powers scaled to sum to 1, so the channel of every RE has unit mean power.
  [[nodiscard]] std::vector<double> normalized_powers() const;
  /// Rician K-factor of one RE's channel (linear): specular power over the sum of the Rayleigh powers;
  /// 0 for NLoS profiles.
  [[nodiscard]] double rician_k_factor() const;
};

/// Parses a table in the layout of data/3gpp/README.md; throws std::runtime_error if it is malformed.
TdlProfile parse_tdl_profile(std::string_view json);

/// The embedded table of a TDL kind; throws std::invalid_argument for awgn and rayleigh.
TdlProfile tdl_profile(ChannelModelKind kind);

}  // namespace sixg::phy
