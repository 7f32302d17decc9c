// Resource grid and Kronecker pilots: validation, pilot orthogonality and energy, data placement.
#include "sixg/phy/grid/resource_grid.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "sixg/phy/grid/kronecker_pilots.h"
#include "sixg/phy/types.h"

using namespace sixg::phy;

namespace {

GridConfig seed_grid() { return GridConfig{16, 512, 14, {2, 11}}; }

std::string option_of(const GridConfig& config) {
  try {
    validate_grid_config(config);
  } catch (const invalid_config& e) {
    return e.option();
  }
  return "";
}

}  // namespace

TEST(GridConfig, RejectsWhatKroneckerPilotsCannotBuildNamingTheOption) {
  EXPECT_EQ(option_of(seed_grid()), "");
  EXPECT_EQ(option_of(GridConfig{16, 520, 14, {2, 11}}), "--fft-size");  // 520 % 16 != 0
  EXPECT_EQ(option_of(GridConfig{16, 520, 14, {}}), "");                 // no pilots, no constraint
  EXPECT_EQ(option_of(GridConfig{16, 512, 14, {2, 14}}), "--pilot-symbols");
  EXPECT_EQ(option_of(GridConfig{16, 512, 14, {2, 2}}), "--pilot-symbols");
  EXPECT_EQ(option_of(GridConfig{16, 512, 2, {0, 1}}), "--pilot-symbols");  // no data symbol left
  EXPECT_THROW(KroneckerPilots(GridConfig{16, 520, 14, {2, 11}}, 1), invalid_config);
}

TEST(KroneckerPilots, EveryPilotReCarriesExactlyTheOwningStreamsPilot) {
  const GridConfig config{6, 48, 10, {1, 4, 8}};
  const KroneckerPilots pilots(config, 42);
  for (int p = 0; p < config.num_pilot_symbols(); ++p) {
    for (int k = 0; k < config.fft_size; ++k) {
      int non_zero = 0;
      for (int s = 0; s < config.num_streams; ++s) {
        const cf32 x = pilots.pilot(s, p, k);
        if (x != cf32{}) {
          ++non_zero;
          EXPECT_EQ(s, k % config.num_streams) << "p " << p << " k " << k;
          EXPECT_NEAR(std::norm(x), config.num_streams, 1e-4);  // |p|² = S_tot
          EXPECT_EQ(x, pilots.pilot_at(p, k));
        }
      }
      EXPECT_EQ(non_zero, 1) << "p " << p << " k " << k;
    }
  }
}

TEST(KroneckerPilots, EachStreamHasUnitAverageEnergyOnEveryPilotSymbol) {
  const GridConfig config = seed_grid();
  const KroneckerPilots pilots(config, 7);
  for (int s = 0; s < config.num_streams; ++s) {
    for (int p = 0; p < config.num_pilot_symbols(); ++p) {
      double energy = 0;
      for (int k = 0; k < config.fft_size; ++k) energy += std::norm(pilots.pilot(s, p, k));
      EXPECT_NEAR(energy / config.fft_size, 1.0, 1e-5);
    }
  }
}

TEST(KroneckerPilots, AreRandomQpskFixedBySeed) {
  const GridConfig config = seed_grid();
  const KroneckerPilots a(config, 5), b(config, 5), c(config, 6);
  std::array<int, 4> quadrant{};
  int same_as_other_seed = 0;
  const float amplitude = std::sqrt(config.num_streams / 2.0f);
  for (int p = 0; p < config.num_pilot_symbols(); ++p) {
    for (int k = 0; k < config.fft_size; ++k) {
      const cf32 x = a.pilot_at(p, k);
      EXPECT_EQ(x, b.pilot_at(p, k));
      same_as_other_seed += x == c.pilot_at(p, k);
      EXPECT_FLOAT_EQ(std::abs(x.real()), amplitude);
      EXPECT_FLOAT_EQ(std::abs(x.imag()), amplitude);
      ++quadrant[static_cast<std::size_t>((x.real() < 0) + 2 * (x.imag() < 0))];
    }
  }
  // 1024 pilots: each QPSK point ~ Binomial(1024, 1/4), sd 13.9; 5 sd bounds. Another seed agrees on
  // ~1/4 of them (a copy or a shifted stream would agree far more often).
  for (int count : quadrant) EXPECT_NEAR(count, 256, 70);
  EXPECT_NEAR(same_as_other_seed, 256, 70);
}

TEST(ResourceGrid, PutsDataOnDataSymbolsAndPilotsOnPilotSymbols) {
  const GridConfig config{4, 32, 7, {5, 1}};  // unsorted on purpose: p = 0 is symbol 5
  const ResourceGrid grid(config, 3);
  ASSERT_EQ(grid.num_data_symbols(), 5);
  EXPECT_EQ(grid.num_data_res(), (7 - 2) * 32);
  const std::vector<int> expected_symbols{0, 2, 3, 4, 6};
  for (int i = 0; i < grid.num_data_symbols(); ++i) EXPECT_EQ(grid.data_symbol(i), expected_symbols[static_cast<std::size_t>(i)]);
  EXPECT_EQ(grid.pilot_index(5), 0);
  EXPECT_EQ(grid.pilot_index(1), 1);
  EXPECT_EQ(grid.pilot_index(0), -1);

  const int streams = config.num_streams, fft = config.fft_size, nd = grid.num_data_res();
  std::vector<cf32> data(static_cast<std::size_t>(streams * nd));
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = cf32(static_cast<float>(i + 1), -1.0f);  // all distinct
  std::vector<cf32> tx(static_cast<std::size_t>(streams * config.num_ofdm_symbols * fft));
  grid.map(data, tx);
  for (int s = 0; s < streams; ++s) {
    for (int l = 0; l < config.num_ofdm_symbols; ++l) {
      for (int k = 0; k < fft; ++k) {
        const cf32 got = tx[static_cast<std::size_t>((s * config.num_ofdm_symbols + l) * fft + k)];
        const int p = grid.pilot_index(l);
        if (p >= 0) {
          EXPECT_EQ(got, grid.pilots().pilot(s, p, k));
        } else {
          const int i = static_cast<int>(std::find(expected_symbols.begin(), expected_symbols.end(), l) -
                                         expected_symbols.begin());
          EXPECT_EQ(got, data[static_cast<std::size_t>(s * nd + i * fft + k)]) << s << " " << l << " " << k;
        }
      }
    }
  }
  std::vector<cf32> back(data.size());
  grid.extract_data(tx, back);
  EXPECT_EQ(back, data);
}

TEST(ResourceGrid, DataRePerStreamMatchesTheSeedScenario) {
  const ResourceGrid grid(seed_grid(), 1);
  EXPECT_EQ(grid.num_data_symbols(), 12);
  EXPECT_EQ(grid.num_data_res(), 12 * 512);
  EXPECT_EQ(grid.data_symbol(2), 3);
  EXPECT_EQ(grid.data_symbol(11), 13);
}

TEST(ResourceGrid, MapPilotsWritesExactlyThePilotRowsOfMap) {
  // The pipeline maps data straight into the grid rows and then calls map_pilots: that must give map's
  // grid, and map_pilots must not touch a data row.
  const GridConfig config{4, 24, 7, {5, 1}};  // unsorted pilot list
  const ResourceGrid grid(config, 3);
  std::vector<cf32> data(static_cast<std::size_t>(4 * grid.num_data_res()));
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = cf32(static_cast<float>(i), -static_cast<float>(i));
  std::vector<cf32> mapped(4 * 7 * 24), in_place(mapped.size(), cf32(-1.0f, -1.0f));
  grid.map(data, mapped);
  for (int s = 0; s < 4; ++s) {
    for (int i = 0; i < grid.num_data_symbols(); ++i) {
      const auto row = grid.data_row(in_place, s, i);
      ASSERT_EQ(row.data(), in_place.data() + (s * 7 + grid.data_symbol(i)) * 24);  // OFDM symbol data_symbol(i)
      ASSERT_EQ(row.size(), 24u);
      std::copy_n(data.begin() + (s * grid.num_data_symbols() + i) * 24, 24, row.begin());
    }
  }
  const std::vector<cf32> data_rows_only = in_place;
  grid.map_pilots(in_place);
  EXPECT_EQ(in_place, mapped);
  // The pilot rows hold the pilots themselves (map() uses map_pilots too, so compare with the source).
  for (int s = 0; s < 4; ++s) {
    for (int p = 0; p < 2; ++p) {
      const int l = config.pilot_symbols[static_cast<std::size_t>(p)];
      for (int k = 0; k < 24; ++k) {
        EXPECT_EQ(in_place[static_cast<std::size_t>((s * 7 + l) * 24 + k)], grid.pilots().pilot(s, p, k));
      }
    }
  }
  for (int s = 0; s < 4; ++s) {
    for (int i = 0; i < grid.num_data_symbols(); ++i) {
      const auto row = static_cast<std::ptrdiff_t>((s * 7 + grid.data_symbol(i)) * 24);
      EXPECT_TRUE(std::equal(in_place.begin() + row, in_place.begin() + row + 24, data_rows_only.begin() + row));
    }
  }
  std::vector<cf32> short_grid(mapped.size() - 1);
  EXPECT_THROW(grid.map_pilots(short_grid), std::invalid_argument);
}

TEST(ResourceGrid, RejectsWronglySizedBuffers) {
  const ResourceGrid grid(seed_grid(), 1);
  std::vector<cf32> data(16 * 12 * 512), tx(16 * 14 * 512);
  EXPECT_NO_THROW(grid.map(data, tx));
  EXPECT_THROW(grid.map(std::span<const cf32>(data).first(data.size() - 1), tx), std::invalid_argument);
  EXPECT_THROW(grid.extract_data(std::span<const cf32>(tx).first(tx.size() - 1), data), std::invalid_argument);
}
