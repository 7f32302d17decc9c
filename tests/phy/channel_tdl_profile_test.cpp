// TR 38.901 §7.7.2 TDL tables as parsed from the embedded JSON, checked against values stated in the
// standard and in DESIGN §3 (independent of the parser).
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "sixg/phy/channel/tdl_profile.h"

using namespace sixg::phy;

namespace {

double raw_power_sum(const TdlProfile& p) {
  double sum = 0.0;
  for (double db : p.powers_db) sum += std::pow(10.0, db / 10.0);
  return sum;
}

}  // namespace

TEST(TdlProfile, TablesHaveTheStandardsTapCountsAndPowerSums) {
  struct Expected {
    ChannelModelKind kind;
    int entries;  // LoS tables list the specular part of tap 1 as an extra entry
    bool los;
    double raw_sum;  // DESIGN §3: 3.47, 7.09, 5.87, 1.08, 1.11
  };
  for (const auto& e :
       {Expected{ChannelModelKind::tdl_a, 23, false, 3.47}, Expected{ChannelModelKind::tdl_b, 23, false, 7.09},
        Expected{ChannelModelKind::tdl_c, 24, false, 5.87}, Expected{ChannelModelKind::tdl_d, 14, true, 1.08},
        Expected{ChannelModelKind::tdl_e, 15, true, 1.11}}) {
    const auto p = tdl_profile(e.kind);
    EXPECT_EQ(p.num_entries(), e.entries);
    EXPECT_EQ(p.los, e.los);
    EXPECT_NEAR(raw_power_sum(p), e.raw_sum, 0.005);
    const auto normalized = p.normalized_powers();
    EXPECT_NEAR(std::accumulate(normalized.begin(), normalized.end(), 0.0), 1.0, 1e-12);
  }
}

TEST(TdlProfile, SpotValuesOfTableTdlC) {
  // TR 38.901 Table 7.7.2-3: tap 1 at 0 with -4.4 dB, tap 24 at 8.6523 with -22.8 dB.
  const auto p = tdl_profile(ChannelModelKind::tdl_c);
  EXPECT_EQ(p.normalized_delays.front(), 0.0);
  EXPECT_EQ(p.powers_db.front(), -4.4);
  EXPECT_EQ(p.normalized_delays.back(), 8.6523);
  EXPECT_EQ(p.powers_db.back(), -22.8);
}

TEST(TdlProfile, LosTablesGiveTheStatedRicianFactors) {
  // Tap 1: K1 = P0 - P1 = 13.3 dB (D), 22 dB (E). Per RE after normalisation the specular power over
  // all diffuse power: 10 log10 K = 8.98 dB (D), 9.27 dB (E) (DESIGN §3: ~9.0 and ~9.3 dB).
  const auto d = tdl_profile(ChannelModelKind::tdl_d), e = tdl_profile(ChannelModelKind::tdl_e);
  EXPECT_NEAR(d.powers_db[0] - d.powers_db[1], 13.3, 1e-9);
  EXPECT_NEAR(e.powers_db[0] - e.powers_db[1], 22.0, 1e-9);
  EXPECT_EQ(d.normalized_delays[0], 0.0);
  EXPECT_EQ(d.normalized_delays[1], 0.0);
  EXPECT_NEAR(10.0 * std::log10(d.rician_k_factor()), 8.98, 0.01);
  EXPECT_NEAR(10.0 * std::log10(e.rician_k_factor()), 9.27, 0.01);
  EXPECT_EQ(tdl_profile(ChannelModelKind::tdl_a).rician_k_factor(), 0.0);
}

TEST(TdlProfile, MalformedTablesAreRejected) {
  EXPECT_THROW(parse_tdl_profile(R"({"los": 0, "num_clusters": 2, "delays": [0, 1], "powers": [0]})"),
               std::runtime_error);
  EXPECT_THROW(parse_tdl_profile(R"({"los": 1, "num_clusters": 1, "delays": [0, 0.5], "powers": [0, -3]})"),
               std::runtime_error);
  EXPECT_THROW(tdl_profile(ChannelModelKind::rayleigh), std::invalid_argument);
  const auto ok = parse_tdl_profile(R"({"los": 1, "num_clusters": 1, "delays": [0, 0], "powers": [0, -10]})");
  EXPECT_NEAR(ok.rician_k_factor(), 10.0, 1e-12);
}
