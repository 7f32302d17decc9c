#include "sixg/phy/estimation/pilot_spacing.h"

#include <sstream>

namespace sixg::phy {

PilotSpacingCheck check_pilot_spacing(double max_delay_s, int num_streams, double subcarrier_spacing_hz) {
  PilotSpacingCheck check;
  check.max_resolvable_delay_s = 1.0 / (static_cast<double>(num_streams) * subcarrier_spacing_hz);
  check.resolved = max_delay_s < check.max_resolvable_delay_s;
  if (!check.resolved) {
    std::ostringstream message;
    message.precision(3);
    message << "the channel's max delay " << max_delay_s << " s is at least 1/(streams x subcarrier spacing) = "
            << check.max_resolvable_delay_s << " s: Kronecker pilots every " << num_streams
            << " subcarriers cannot resolve it, so LS channel estimates keep an error floor";
    check.warning = message.str();
  }
  return check;
}

}  // namespace sixg::phy
