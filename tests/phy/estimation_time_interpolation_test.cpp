// TimeInterpolation: which pilot symbols give each data symbol's channel, and the shared-filter groups.
#include "sixg/phy/estimation/time_interpolation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "sixg/phy/types.h"

using namespace sixg::phy;

namespace {

GridConfig grid(std::vector<int> pilots, int symbols = 14) { return GridConfig{4, 64, symbols, std::move(pilots)}; }

/// The data symbols' OFDM indices of a grid.
std::vector<int> data_symbols(const GridConfig& config) {
  std::vector<int> out;
  for (int l = 0; l < config.num_ofdm_symbols; ++l) {
    if (std::find(config.pilot_symbols.begin(), config.pilot_symbols.end(), l) == config.pilot_symbols.end()) {
      out.push_back(l);
    }
  }
  return out;
}

/// sum_i w_i f(pilot symbol of term i), for a function f of the OFDM symbol index.
template <class F>
double combine(const GridConfig& config, const TimeCombination& c, F f) {
  double sum = 0;
  for (int i = 0; i < c.num_terms; ++i) {
    sum += c.weight[static_cast<std::size_t>(i)] *
           f(config.pilot_symbols[static_cast<std::size_t>(c.pilot[static_cast<std::size_t>(i)])]);
  }
  return sum;
}

}  // namespace

TEST(TimeInterpolation, NearestTakesTheClosestPilotSymbolAndTheEarlierOnATie) {
  const auto config = grid({2, 11});
  const TimeInterpolation time(config, InterpolationKind::nearest);
  const auto symbols = data_symbols(config);
  ASSERT_EQ(time.num_data_symbols(), 12);
  for (int i = 0; i < time.num_data_symbols(); ++i) {
    const int l = symbols[static_cast<std::size_t>(i)];
    const auto& c = time.combination(i);
    EXPECT_EQ(c.num_terms, 1);
    EXPECT_EQ(c.weight[0], 1.0f);
    EXPECT_EQ(c.pilot[0], std::abs(l - 2) <= std::abs(l - 11) ? 0 : 1) << "symbol " << l;
  }
  // Pilot symbols 2 and 6: data symbols 0, 1, 3, 4, 5, 7; symbol 4 (index 3) is 2 away from both.
  const auto tie_config = grid({2, 6}, 8);
  const TimeInterpolation tie(tie_config, InterpolationKind::nearest);
  ASSERT_EQ(data_symbols(tie_config)[3], 4);
  EXPECT_EQ(tie.combination(3).pilot[0], 0);
  EXPECT_EQ(tie.combination(4).pilot[0], 1);  // symbol 5
}

TEST(TimeInterpolation, LinearReproducesAChannelLinearInTimeBetweenPilotsAndHoldsOutside) {
  const auto config = grid({2, 6, 11});
  const TimeInterpolation time(config, InterpolationKind::linear);
  const auto symbols = data_symbols(config);
  auto linear_channel = [](int l) { return 0.3 + 0.7 * l; };
  for (int i = 0; i < time.num_data_symbols(); ++i) {
    const int l = symbols[static_cast<std::size_t>(i)];
    const auto& c = time.combination(i);
    EXPECT_NEAR(c.weight[0] + (c.num_terms == 2 ? c.weight[1] : 0.0f), 1.0, 1e-6);
    if (l < 2) {
      EXPECT_EQ(c.num_terms, 1);
      EXPECT_EQ(c.pilot[0], 0);
    } else if (l > 11) {
      EXPECT_EQ(c.num_terms, 1);
      EXPECT_EQ(c.pilot[0], 2);
    } else {
      EXPECT_EQ(c.num_terms, 2);
      EXPECT_NEAR(combine(config, c, linear_channel), linear_channel(l), 1e-5) << "symbol " << l;
    }
  }
}

TEST(TimeInterpolation, AcceptsPilotSymbolsInAnyOrderAndReportsTheirListPositions) {
  const TimeInterpolation sorted(grid({2, 11}), InterpolationKind::linear);
  const TimeInterpolation reversed(grid({11, 2}), InterpolationKind::linear);
  for (int i = 0; i < sorted.num_data_symbols(); ++i) {
    const auto& a = sorted.combination(i);
    const auto& b = reversed.combination(i);
    ASSERT_EQ(a.num_terms, b.num_terms);
    for (int t = 0; t < a.num_terms; ++t) {
      EXPECT_EQ(a.pilot[static_cast<std::size_t>(t)], 1 - b.pilot[static_cast<std::size_t>(t)]);
      EXPECT_EQ(a.weight[static_cast<std::size_t>(t)], b.weight[static_cast<std::size_t>(t)]);
    }
  }
}

TEST(TimeInterpolation, GroupsAreMaximalRunsThatCoverEveryDataSymbolOnce) {
  for (auto kind : {InterpolationKind::nearest, InterpolationKind::linear}) {
    for (const auto& pilots : {std::vector<int>{2, 11}, std::vector<int>{0}, std::vector<int>{3, 4, 9}}) {
      const TimeInterpolation time(grid(pilots), kind);
      int next = 0;
      for (std::size_t g = 0; g < time.groups().size(); ++g) {
        const auto& group = time.groups()[g];
        EXPECT_EQ(group.first, next);
        ASSERT_GE(group.count, 1);
        for (int i = group.first; i < group.first + group.count; ++i) EXPECT_EQ(time.combination(i), group.combination);
        if (g > 0) {
          EXPECT_FALSE(time.groups()[g - 1].combination == group.combination);  // else not maximal
        }
        next += group.count;
      }
      EXPECT_EQ(next, time.num_data_symbols());
    }
  }
  // The seed scenario with nn: one filter for data symbols 0..5 (OFDM 0,1,3..6), one for 6..11.
  const TimeInterpolation seed(grid({2, 11}), InterpolationKind::nearest);
  ASSERT_EQ(seed.groups().size(), 2u);
  EXPECT_EQ(seed.groups()[0].count, 6);
  EXPECT_EQ(seed.groups()[1].count, 6);
}

TEST(TimeInterpolation, NeedsPilotSymbols) {
  try {
    TimeInterpolation(grid({}), InterpolationKind::nearest);
    FAIL() << "no exception";
  } catch (const invalid_config& e) {
    EXPECT_EQ(e.option(), "--pilot-symbols");
  }
}
