#include "sixg/mem/memory_manager.h"

#include <gtest/gtest.h>

#include <complex>
#include <cstdint>
#include <memory_resource>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sixg/mem/out_of_budget.h"
#include "sixg/mem/tensor.h"

namespace {

using sixg::mem::MemoryConfig;
using sixg::mem::MemoryManager;
using sixg::mem::out_of_budget;

constexpr std::uint64_t kMiB = std::uint64_t{1} << 20;

auto fixed_available(std::uint64_t bytes) {
  return [bytes] { return bytes; };
}

TEST(MemoryManager, LimitIsTheByteLimitElseTheFractionOfAvailableElseNone) {
  MemoryConfig config;
  EXPECT_EQ(sixg::mem::resolve_limit_bytes(config, fixed_available(1000 * kMiB)), std::nullopt);
  config.limit_fraction = 0.25;
  EXPECT_EQ(sixg::mem::resolve_limit_bytes(config, fixed_available(1000 * kMiB)), 250 * kMiB);
  config.limit_bytes = 64 * kMiB;  // an explicit limit wins over the fraction
  EXPECT_EQ(sixg::mem::resolve_limit_bytes(config, fixed_available(1000 * kMiB)), 64 * kMiB);

  MemoryManager manager(config, fixed_available(1000 * kMiB));
  EXPECT_EQ(manager.limit_bytes(), 64 * kMiB);
  EXPECT_EQ(manager.limiting().limit_bytes(), 64 * kMiB);
  MemoryManager unlimited(MemoryConfig{}, fixed_available(1000 * kMiB));
  EXPECT_EQ(unlimited.limit_bytes(), std::nullopt);
}

// Statistics above the pool: exactly what tensors hold. Limiting below it: what the system gave,
// cached blocks included.
TEST(MemoryManager, StatisticsSeeTensorsWhileTheBudgetSeesTheCacheToo) {
  MemoryManager manager(MemoryConfig{}, fixed_available(1024 * kMiB));
  {
    sixg::mem::Tensor<std::complex<float>> grid("rx grid", {4, 32, 14, 512}, manager.resource());
    sixg::mem::Tensor<float> llrs("llrs", {4, 16, 1000}, manager.resource());
    const std::uint64_t held = grid.bytes() + llrs.bytes();
    EXPECT_EQ(manager.statistics().current_bytes(), held);
    EXPECT_EQ(manager.statistics().live_allocations(), 2u);
    EXPECT_EQ(manager.limiting().in_use_bytes(), held);
  }
  const std::uint64_t batch = 4ull * 32 * 14 * 512 * 8 + 4ull * 16 * 1000 * 4;
  EXPECT_EQ(manager.statistics().current_bytes(), 0u);
  EXPECT_EQ(manager.statistics().peak_bytes(), batch);
  EXPECT_EQ(manager.pool().cached_bytes(), batch);
  EXPECT_EQ(manager.limiting().in_use_bytes(), batch) << "cached blocks still count against the budget";
  {
    // The next batch repeats the shapes: served from the cache, nothing new from the system.
    sixg::mem::Tensor<std::complex<float>> grid("rx grid", {4, 32, 14, 512}, manager.resource());
    EXPECT_EQ(manager.pool().held_bytes(), batch);
  }
  EXPECT_EQ(manager.release(), batch);
  EXPECT_EQ(manager.limiting().in_use_bytes(), 0u);
}

TEST(MemoryManager, OverTheLimitThrowsTheTypedErrorAndTheStackRecovers) {
  MemoryConfig config;
  config.limit_bytes = 10 * kMiB;
  auto manager = sixg::mem::configure_memory(config, fixed_available(1024 * kMiB));
  std::pmr::memory_resource* resource = manager->resource();
  void* a = resource->allocate(6 * kMiB);
  void* b = resource->allocate(3 * kMiB);
  try {
    (void)resource->allocate(2 * kMiB);
    FAIL() << "9 MiB + 2 MiB must not fit in 10 MiB";
  } catch (const out_of_budget& error) {
    EXPECT_EQ(error.requested_bytes(), 2 * kMiB);
    EXPECT_EQ(error.in_use_bytes(), 9 * kMiB);
    EXPECT_EQ(error.limit_bytes(), 10 * kMiB);
  }
  EXPECT_EQ(manager->statistics().current_bytes(), 9 * kMiB) << "the refused request is not counted";

  // Freed into the cache, the 6 MiB still fill the budget; the pool must drop them and retry.
  resource->deallocate(a, 6 * kMiB);
  void* c = resource->allocate(2 * kMiB);
  EXPECT_EQ(manager->pool().cached_bytes(), 0u);
  EXPECT_EQ(manager->limiting().in_use_bytes(), 5 * kMiB);

  resource->deallocate(b, 3 * kMiB);
  resource->deallocate(c, 2 * kMiB);
  manager->release();
  EXPECT_EQ(manager->limiting().in_use_bytes(), 0u);
  void* everything = resource->allocate(10 * kMiB);  // the whole budget, exactly
  resource->deallocate(everything, 10 * kMiB);
  EXPECT_EQ(manager->statistics().peak_bytes(), 10 * kMiB);
}

TEST(MemoryManager, ReserveGrowthCommitsTheLimitAndServesFromIt) {
  MemoryConfig config;
  config.growth = MemoryConfig::Growth::reserve;
  config.limit_bytes = 4 * kMiB;
  MemoryManager manager(config, fixed_available(1024 * kMiB));
  EXPECT_EQ(manager.limiting().in_use_bytes(), 4 * kMiB) << "the whole reserve is taken at start-up";
  EXPECT_EQ(manager.pool().held_bytes(), 4 * kMiB);
  void* a = manager.resource()->allocate(3 * kMiB);
  EXPECT_EQ(manager.limiting().in_use_bytes(), 4 * kMiB);
  EXPECT_EQ(manager.statistics().current_bytes(), 3 * kMiB);
  try {
    (void)manager.resource()->allocate(2 * kMiB);
    FAIL() << "the reserve is 4 MiB";
  } catch (const out_of_budget& error) {
    EXPECT_EQ(error.requested_bytes(), 2 * kMiB);
    EXPECT_EQ(error.in_use_bytes(), 3 * kMiB);
    EXPECT_EQ(error.limit_bytes(), 4 * kMiB);
  }
  manager.resource()->deallocate(a, 3 * kMiB);
  void* b = manager.resource()->allocate(4 * kMiB);
  manager.resource()->deallocate(b, 4 * kMiB);
}

TEST(MemoryManager, ReserveNeedsALimitThatFitsInAvailableMemory) {
  MemoryConfig config;
  config.growth = MemoryConfig::Growth::reserve;
  EXPECT_THROW(MemoryManager(config, fixed_available(1024 * kMiB)), std::invalid_argument);
  config.limit_bytes = 2048 * kMiB;
  EXPECT_THROW(MemoryManager(config, fixed_available(1024 * kMiB)), out_of_budget);
  config.limit_bytes.reset();
  config.limit_fraction = 0.5;
  MemoryManager half(config, fixed_available(8 * kMiB));
  EXPECT_EQ(half.pool().held_bytes(), 4 * kMiB);
}

TEST(MemoryManager, WarningsFollowTheConfig) {
  std::vector<std::string> lines;
  auto sink = [&lines](std::string_view line) { lines.emplace_back(line); };
  MemoryConfig config;
  config.warning_fraction = 0.25;
  {
    MemoryManager manager(config, fixed_available(8 * kMiB), sink);
    manager.resource()->deallocate(manager.resource()->allocate(2 * kMiB), 2 * kMiB);  // = 25 %: quiet
    manager.resource()->deallocate(manager.resource()->allocate(3 * kMiB), 3 * kMiB);
  }
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("exceeds 25% of available memory (8.00 MiB)"), std::string::npos) << lines[0];
  config.allocation_warnings = false;
  MemoryManager quiet(config, fixed_available(8 * kMiB), sink);
  quiet.resource()->deallocate(quiet.resource()->allocate(3 * kMiB), 3 * kMiB);
  EXPECT_EQ(lines.size(), 1u);
}

TEST(MemoryManager, InconsistentConfigsAreRejected) {
  auto rejects = [](auto edit) {
    MemoryConfig config;
    edit(config);
    EXPECT_THROW(sixg::mem::validate(config), std::invalid_argument);
  };
  rejects([](MemoryConfig& c) { c.limit_bytes = 0; });
  rejects([](MemoryConfig& c) { c.limit_fraction = 0.0; });
  rejects([](MemoryConfig& c) { c.limit_fraction = 1.01; });
  rejects([](MemoryConfig& c) { c.warning_fraction = -0.1; });
  rejects([](MemoryConfig& c) { c.max_warnings = -1; });
  EXPECT_NO_THROW(sixg::mem::validate(MemoryConfig{}));
  MemoryConfig needs_probe;
  needs_probe.limit_fraction = 0.5;
  EXPECT_THROW(MemoryManager(needs_probe, nullptr), std::invalid_argument);
}

}  // namespace
