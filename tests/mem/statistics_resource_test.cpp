#include "sixg/mem/statistics_resource.h"

#include <gtest/gtest.h>

#include <barrier>
#include <cstdint>
#include <memory_resource>
#include <new>
#include <stdexcept>
#include <thread>
#include <vector>

#include "sixg/mem/limiting_resource.h"

namespace {

using sixg::mem::statistics_resource;

TEST(StatisticsResource, CountsLiveBytesPeakAndAllocations) {
  statistics_resource stats(std::pmr::new_delete_resource());
  void* a = stats.allocate(100);
  void* b = stats.allocate(200);
  auto s = stats.statistics();
  EXPECT_EQ(s.current_bytes, 300u);
  EXPECT_EQ(s.peak_bytes, 300u);
  EXPECT_EQ(s.live_allocations, 2u);
  EXPECT_EQ(s.total_allocations, 2u);
  stats.deallocate(b, 200);
  void* c = stats.allocate(50);
  s = stats.statistics();
  EXPECT_EQ(s.current_bytes, 150u);
  EXPECT_EQ(s.peak_bytes, 300u) << "the peak must survive frees";
  EXPECT_EQ(s.live_allocations, 2u);
  EXPECT_EQ(s.total_allocations, 3u);
  EXPECT_EQ(s.total_bytes, 350u);
  stats.reset_peak();
  EXPECT_EQ(stats.peak_bytes(), 150u) << "reset_peak restarts from what is live";
  stats.deallocate(a, 100);
  stats.deallocate(c, 50);
  EXPECT_EQ(stats.current_bytes(), 0u);
  EXPECT_EQ(stats.live_allocations(), 0u);
}

TEST(StatisticsResource, RefusedAllocationIsNotCounted) {
  sixg::mem::limiting_resource limited(std::pmr::new_delete_resource(), 100);
  statistics_resource stats(&limited);
  EXPECT_THROW((void)stats.allocate(101), std::bad_alloc);
  EXPECT_EQ(stats.current_bytes(), 0u);
  EXPECT_EQ(stats.peak_bytes(), 0u);
  EXPECT_EQ(stats.total_allocations(), 0u);
}

TEST(StatisticsResource, NestedScopesEachSeeTheirOwnPeak) {
  statistics_resource stats(std::pmr::new_delete_resource());
  void* before = stats.allocate(1000);
  stats.deallocate(before, 1000);  // a global peak of 1000 from before any scope
  void* base = stats.allocate(10);
  const std::size_t outer = stats.push_scope();
  EXPECT_EQ(stats.scope_peak(outer), 10u) << "a scope starts at what is live when it opens";
  void* a = stats.allocate(100);
  const std::size_t inner = stats.push_scope();
  void* b = stats.allocate(50);
  stats.deallocate(a, 100);
  stats.deallocate(b, 50);
  EXPECT_EQ(stats.pop_scope(inner), 110u + 50u);
  void* c = stats.allocate(300);  // after the inner scope closed: only the outer one sees it
  stats.deallocate(c, 300);
  EXPECT_EQ(stats.pop_scope(outer), 310u);
  EXPECT_EQ(stats.peak_bytes(), 1000u) << "scopes must not disturb the global peak";
  stats.deallocate(base, 10);
}

TEST(StatisticsResource, ScopesMayCloseInAnyOrderAndUnknownIdsAreRejected) {
  statistics_resource stats(std::pmr::new_delete_resource());
  const std::size_t first = stats.push_scope();
  const std::size_t second = stats.push_scope();
  void* p = stats.allocate(64);
  stats.deallocate(p, 64);
  EXPECT_EQ(stats.pop_scope(first), 64u);
  EXPECT_EQ(stats.pop_scope(second), 64u);
  EXPECT_THROW((void)stats.pop_scope(first), std::invalid_argument);
  EXPECT_THROW((void)stats.scope_peak(12345), std::invalid_argument);
}

// N threads repeatedly: churn small blocks, then all hold a known amount at once (a barrier makes
// the overlap certain), then free. The true maximum of live bytes is the sum of the holds, and an
// exact implementation reports precisely that, per round (scope) and overall.
TEST(StatisticsResource, PeakIsExactUnderConcurrentAllocation) {
  constexpr int kThreads = 6;
  constexpr int kRounds = 200;
  constexpr std::size_t kChurnBytes = 48;
  statistics_resource stats(std::pmr::new_delete_resource());

  auto hold_pattern = [](int thread) {
    // Many blocks per thread, the same number for all, so the threads' allocation phases overlap
    // to the very end (a lost peak update shows only if the last allocations race).
    std::vector<std::size_t> sizes;
    for (int k = 0; k < 150; ++k) sizes.push_back(32u * static_cast<std::size_t>(1 + (thread + k) % 7));
    return sizes;
  };
  std::uint64_t expected_peak = 0;
  for (int t = 0; t < kThreads; ++t) {
    for (std::size_t size : hold_pattern(t)) expected_peak += size;
  }
  ASSERT_GT(expected_peak, kThreads * kChurnBytes) << "the holds must dominate the churn";

  std::vector<std::uint64_t> round_peaks(kRounds, 0);
  std::size_t round_scope = 0;
  std::barrier sync(kThreads);
  const std::size_t overall = stats.push_scope();
  auto worker = [&](int thread) {
    const auto sizes = hold_pattern(thread);
    for (int round = 0; round < kRounds; ++round) {
      if (thread == 0) round_scope = stats.push_scope();
      sync.arrive_and_wait();
      for (int i = 0; i < 50; ++i) {
        void* p = stats.allocate(kChurnBytes);
        stats.deallocate(p, kChurnBytes);
      }
      sync.arrive_and_wait();
      std::vector<void*> held;
      for (std::size_t size : sizes) held.push_back(stats.allocate(size));
      sync.arrive_and_wait();  // everyone holds everything now
      for (std::size_t k = 0; k < sizes.size(); ++k) stats.deallocate(held[k], sizes[k]);
      sync.arrive_and_wait();
      if (thread == 0) round_peaks[static_cast<std::size_t>(round)] = stats.pop_scope(round_scope);
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) threads.emplace_back(worker, t);
  for (auto& thread : threads) thread.join();

  for (int round = 0; round < kRounds; ++round) EXPECT_EQ(round_peaks[round], expected_peak) << "round " << round;
  EXPECT_EQ(stats.pop_scope(overall), expected_peak);
  EXPECT_EQ(stats.peak_bytes(), expected_peak);
  EXPECT_EQ(stats.current_bytes(), 0u);
  EXPECT_EQ(stats.live_allocations(), 0u);
  std::uint64_t allocations_per_round = 0;
  for (int t = 0; t < kThreads; ++t) allocations_per_round += 50 + hold_pattern(t).size();
  EXPECT_EQ(stats.total_allocations(), allocations_per_round * kRounds);
}

}  // namespace
