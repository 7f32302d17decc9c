#include "sixg/phy/modulation_names.h"

#include <array>
#include <utility>

namespace sixg::phy {

namespace {
constexpr std::array<std::pair<std::string_view, Modulation>, 5> kNames{{
    {"qpsk", Modulation::qpsk},
    {"16qam", Modulation::qam16},
    {"64qam", Modulation::qam64},
    {"256qam", Modulation::qam256},
    {"1024qam", Modulation::qam1024},
}};
}  // namespace

std::optional<Modulation> parse_modulation(std::string_view name) {
  for (const auto& [n, m] : kNames) {
    if (n == name) return m;
  }
  return std::nullopt;
}

std::string_view modulation_name(Modulation m) {
  for (const auto& [n, mod] : kNames) {
    if (mod == m) return n;
  }
  return "?";
}

}  // namespace sixg::phy
