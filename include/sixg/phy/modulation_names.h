// Command-line names of the modulations ("qpsk", "16qam", ...).
#pragma once

#include <optional>
#include <string_view>

#include "sixg/phy/types.h"

namespace sixg::phy {

std::optional<Modulation> parse_modulation(std::string_view name);
std::string_view modulation_name(Modulation m);

}  // namespace sixg::phy
