#include "sixg/phy/channel/tdl_profile.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>
#include <stdexcept>
#include <string>

#include "sixg/data/tdl_a.h"
#include "sixg/data/tdl_b.h"
#include "sixg/data/tdl_c.h"
#include "sixg/data/tdl_d.h"
#include "sixg/data/tdl_e.h"

namespace sixg::phy {

std::vector<double> TdlProfile::normalized_powers() const {
  std::vector<double> linear(powers_db.size());
  for (std::size_t i = 0; i < linear.size(); ++i) linear[i] = std::pow(10.0, powers_db[i] / 10.0);
  const double total = std::accumulate(linear.begin(), linear.end(), 0.0);
  for (double& p : linear) p /= total;
  return linear;
}

double TdlProfile::rician_k_factor() const {
  if (!los) return 0.0;
  const auto p = normalized_powers();
  return p[0] / (1.0 - p[0]);
}

TdlProfile parse_tdl_profile(std::string_view text) {
  const auto json = nlohmann::json::parse(text.begin(), text.end());
  TdlProfile profile;
  profile.normalized_delays = json.at("delays").get<std::vector<double>>();
  profile.powers_db = json.at("powers").get<std::vector<double>>();
  profile.los = json.at("los").get<int>() != 0;
  const auto entries = profile.powers_db.size();
  // num_clusters does not count the specular entry of a LoS table (data/3gpp/README.md).
  const auto expected = json.at("num_clusters").get<std::size_t>() + (profile.los ? 1 : 0);
  if (entries == 0 || profile.normalized_delays.size() != entries || entries != expected) {
    throw std::runtime_error("TDL table: delays, powers and num_clusters disagree on the number of taps");
  }
  if (profile.los && (entries < 2 || profile.normalized_delays[0] != 0.0 || profile.normalized_delays[1] != 0.0)) {
    throw std::runtime_error("TDL table: a LoS table must start with two entries at delay 0");
  }
  for (double d : profile.normalized_delays) {
    if (!(d >= 0.0) || !std::isfinite(d)) throw std::runtime_error("TDL table: delays must be finite and >= 0");
  }
  return profile;
}

TdlProfile tdl_profile(ChannelModelKind kind) {
  switch (kind) {
    case ChannelModelKind::tdl_a: return parse_tdl_profile(data::tdl_a);
    case ChannelModelKind::tdl_b: return parse_tdl_profile(data::tdl_b);
    case ChannelModelKind::tdl_c: return parse_tdl_profile(data::tdl_c);
    case ChannelModelKind::tdl_d: return parse_tdl_profile(data::tdl_d);
    case ChannelModelKind::tdl_e: return parse_tdl_profile(data::tdl_e);
    case ChannelModelKind::awgn:
    case ChannelModelKind::rayleigh: break;
  }
  throw std::invalid_argument("tdl_profile: not a TDL channel model");
}

}  // namespace sixg::phy
