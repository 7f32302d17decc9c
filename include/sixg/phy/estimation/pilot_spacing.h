// Whether Kronecker pilots sample the channel's frequency response finely enough (DESIGN §3).
//
// Stream s sees a pilot every S_tot subcarriers, i.e. every S_tot * Δf Hz. Sampling a frequency
// response at that spacing resolves delays below 1 / (S_tot * Δf) only (Nyquist in the delay domain);
// longer delays alias, and no interpolation can remove the resulting estimation floor.
#pragma once

#include <string>

namespace sixg::phy {

struct PilotSpacingCheck {
  bool resolved = true;                 // max delay < max_resolvable_delay_s
  double max_resolvable_delay_s = 0.0;  // 1 / (S_tot * Δf)
  std::string warning;                  // empty when resolved; else a one-line message for the user
};

/// `max_delay_s`: the channel's largest path delay (e.g. the TDL table's last normalised delay times the
/// delay spread); `subcarrier_spacing_hz`: Δf.
PilotSpacingCheck check_pilot_spacing(double max_delay_s, int num_streams, double subcarrier_spacing_hz);

}  // namespace sixg::phy
