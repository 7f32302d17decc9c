#include "sixg/mem/pool_resource.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <memory_resource>
#include <new>
#include <thread>
#include <vector>

#include "sixg/mem/limiting_resource.h"
#include "sixg/mem/out_of_budget.h"
#include "sixg/mem/process_memory.h"

namespace {

using sixg::mem::limiting_resource;
using sixg::mem::out_of_budget;
using sixg::mem::pool_resource;
using sixg::mem::PoolOptions;

// Counts what the pool asks of its upstream, so tests can see cache hits as "no upstream call".
class CountingResource final : public std::pmr::memory_resource {
 public:
  std::atomic<int> allocations{0};
  std::atomic<int> deallocations{0};
  std::atomic<std::uint64_t> live_bytes{0};

 private:
  void* do_allocate(std::size_t bytes, std::size_t alignment) override {
    void* p = std::pmr::new_delete_resource()->allocate(bytes, alignment);
    ++allocations;
    live_bytes += bytes;
    return p;
  }
  void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) override {
    std::pmr::new_delete_resource()->deallocate(p, bytes, alignment);
    ++deallocations;
    live_bytes -= bytes;
  }
  bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }
};

TEST(PoolResource, ReusesAFreedBlockForAnEqualRequestOnly) {
  CountingResource upstream;
  pool_resource pool(&upstream);
  void* a = pool.allocate(4096, 64);
  pool.deallocate(a, 4096, 64);
  EXPECT_EQ(pool.cached_bytes(), 4096u);
  void* b = pool.allocate(4096, 64);
  EXPECT_EQ(b, a) << "an equal request must get the cached block";
  EXPECT_EQ(upstream.allocations, 1);
  EXPECT_EQ(pool.cached_bytes(), 0u);
  pool.deallocate(b, 4096, 64);
  // Same size, other alignment; same alignment, other size: both must come from upstream.
  void* c = pool.allocate(4096, 128);
  void* d = pool.allocate(4032, 64);
  EXPECT_EQ(upstream.allocations, 3);
  EXPECT_EQ(pool.held_bytes(), 4096u + 4096u + 4032u);
  EXPECT_EQ(pool.in_use_bytes(), 4096u + 4032u);
  EXPECT_EQ(pool.held_bytes(), pool.in_use_bytes() + pool.cached_bytes());
  pool.deallocate(c, 4096, 128);
  pool.deallocate(d, 4032, 64);
  EXPECT_EQ(upstream.deallocations, 0) << "freed blocks stay cached until release()";
}

TEST(PoolResource, ReleaseReturnsEveryCachedBlockToTheUpstream) {
  CountingResource upstream;
  pool_resource pool(&upstream);
  std::vector<void*> blocks;
  for (std::size_t i = 0; i < 10; ++i) blocks.push_back(pool.allocate(1000 + 8 * i));
  void* kept = pool.allocate(777);
  for (std::size_t i = 0; i < 10; ++i) pool.deallocate(blocks[i], 1000 + 8 * i);
  const std::uint64_t cached = pool.cached_bytes();
  EXPECT_EQ(pool.release(), cached);
  EXPECT_EQ(upstream.deallocations, 10);
  EXPECT_EQ(upstream.live_bytes, 777u) << "only the block still in use may remain upstream";
  EXPECT_EQ(pool.cached_bytes(), 0u);
  EXPECT_EQ(pool.held_bytes(), 777u);
  pool.deallocate(kept, 777);
}

TEST(PoolResource, DestructionReturnsTheCache) {
  CountingResource upstream;
  {
    pool_resource pool(&upstream);
    pool.deallocate(pool.allocate(5000), 5000);
  }
  EXPECT_EQ(upstream.live_bytes, 0u);
}

TEST(PoolResource, UpstreamRefusalDropsTheCacheAndRetriesOnce) {
  limiting_resource limited(std::pmr::new_delete_resource(), 10'000);
  pool_resource pool(&limited);
  pool.deallocate(pool.allocate(6000), 6000);  // cached: the budget sees 6000 still taken
  EXPECT_EQ(limited.in_use_bytes(), 6000u);
  void* p = pool.allocate(5000);  // 6000 + 5000 > 10000 until the cache is dropped
  EXPECT_EQ(pool.cached_bytes(), 0u);
  EXPECT_EQ(limited.in_use_bytes(), 5000u);
  // Still too big after dropping the (now empty) cache: the upstream's error comes through intact.
  try {
    (void)pool.allocate(5001);
    FAIL() << "over budget";
  } catch (const out_of_budget& error) {
    EXPECT_EQ(error.requested_bytes(), 5001u);
    EXPECT_EQ(error.in_use_bytes(), 5000u);
    EXPECT_EQ(error.limit_bytes(), 10'000u);
  }
  EXPECT_EQ(pool.held_bytes(), 5000u);
  pool.deallocate(p, 5000);
}

TEST(PoolResource, ConcurrentUseNeverHandsOneBlockToTwoOwners) {
  CountingResource upstream;
  pool_resource pool(&upstream);
  constexpr int kThreads = 4;
  constexpr int kIterations = 2000;
  std::atomic<bool> clash{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kIterations; ++i) {
        const std::size_t bytes = 256 * (1 + static_cast<std::size_t>(i % 3));  // shared sizes: real contention
        auto* block = static_cast<unsigned char*>(pool.allocate(bytes));
        std::memset(block, t + 1, bytes);
        std::this_thread::yield();
        for (std::size_t k = 0; k < bytes; ++k) {
          if (block[k] != t + 1) clash = true;
        }
        pool.deallocate(block, bytes);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_FALSE(clash);
  EXPECT_EQ(pool.in_use_bytes(), 0u);
  EXPECT_EQ(pool.held_bytes(), pool.cached_bytes());
  EXPECT_EQ(pool.held_bytes(), upstream.live_bytes.load());
}

// The real "clear cache": blocks below glibc's mmap threshold live on the heap; freeing them into
// the pool keeps them resident, and release() (upstream free + malloc_trim) gives the pages back.
TEST(PoolResource, ReleaseLowersTheProcessRss) {
#if defined(SIXG_SANITIZE)
  GTEST_SKIP() << "ASan's allocator keeps freed memory in quarantine; RSS says nothing here";
#else
  constexpr std::size_t kBlock = 64 * 1024;
  constexpr std::size_t kBlocks = 2000;
  constexpr double kTotal = static_cast<double>(kBlock * kBlocks);
  pool_resource pool(std::pmr::new_delete_resource());
  const auto rss = [] { return static_cast<double>(sixg::mem::read_process_memory().rss_bytes); };
  const double before = rss();
  ASSERT_GT(before, 0.0) << "/proc/self/status unreadable";
  std::vector<void*> blocks;
  // Small live blocks between them, as the rest of a real program leaves: they pin the heap, so
  // free() alone cannot shrink it and only malloc_trim's page release gives the memory back.
  std::vector<std::unique_ptr<char[]>> pins;
  for (std::size_t i = 0; i < kBlocks; ++i) {
    blocks.push_back(pool.allocate(kBlock, alignof(std::max_align_t)));
    std::memset(blocks.back(), 1, kBlock);  // make the pages resident
    if (i % 100 == 99) {
      pins.push_back(std::make_unique<char[]>(200));
      static_cast<volatile char*>(pins.back().get())[0] = 1;  // observable, so never elided
    }
  }
  const double allocated = rss();
  for (void* p : blocks) pool.deallocate(p, kBlock, alignof(std::max_align_t));
  const double cached = rss();
  const std::uint64_t released = pool.release();
  const double after = rss();
  constexpr double kMiB = 1024.0 * 1024.0;
  std::printf("RSS: before %.1f MiB, allocated %.1f, cached %.1f, after release %.1f (drop %.1f MiB of %.1f)\n",
              before / kMiB, allocated / kMiB, cached / kMiB, after / kMiB, (cached - after) / kMiB, kTotal / kMiB);
  EXPECT_EQ(released, kBlock * kBlocks);
  EXPECT_GE(allocated - before, 0.9 * kTotal);
  EXPECT_GE(cached - before, 0.9 * kTotal) << "cached blocks must stay resident (that is the cache)";
  EXPECT_GE(cached - after, 0.8 * kTotal) << "release() must return most of it to the system";
#endif
}

TEST(PoolResource, ReserveTakesOneArenaUpFrontAndServesFromIt) {
  CountingResource upstream;
  constexpr std::uint64_t kReserve = 1 << 20;
  {
    pool_resource pool(&upstream, PoolOptions{.reserve_bytes = kReserve});
    EXPECT_EQ(upstream.allocations, 1);
    EXPECT_EQ(upstream.live_bytes, kReserve);
    EXPECT_EQ(pool.held_bytes(), kReserve);
    void* a = pool.allocate(1000);
    void* b = pool.allocate(3000, 4096);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(b) % 4096, 0u);
    EXPECT_EQ(upstream.allocations, 1) << "served from the arena";
    EXPECT_EQ(pool.held_bytes(), pool.in_use_bytes() + pool.cached_bytes());
    pool.deallocate(b, 3000, 4096);
    pool.deallocate(a, 1000);
    EXPECT_EQ(pool.in_use_bytes(), 0u);
    EXPECT_EQ(pool.release(), 0u) << "the reserve is kept by design";
    EXPECT_EQ(upstream.live_bytes, kReserve);
  }
  EXPECT_EQ(upstream.live_bytes, 0u) << "the arena goes back when the pool dies";
}

TEST(PoolResource, FullReserveThrowsOutOfBudgetWithTheReserveAsLimit) {
  constexpr std::uint64_t kReserve = 64 * 1024;
  pool_resource pool(std::pmr::new_delete_resource(), PoolOptions{.reserve_bytes = kReserve});
  void* a = pool.allocate(40 * 1024);
  try {
    (void)pool.allocate(30 * 1024);
    FAIL() << "the reserve is full";
  } catch (const out_of_budget& error) {
    EXPECT_EQ(error.requested_bytes(), 30u * 1024);
    EXPECT_EQ(error.in_use_bytes(), 40u * 1024);
    EXPECT_EQ(error.limit_bytes(), kReserve);
  }
  void* b = pool.allocate(24 * 1024);  // exactly the rest fits
  pool.deallocate(a, 40 * 1024);
  pool.deallocate(b, 24 * 1024);
}

TEST(PoolResource, FreedNeighboursInTheReserveCoalesce) {
  constexpr std::size_t kQuarter = 16 * 1024;
  pool_resource pool(std::pmr::new_delete_resource(), PoolOptions{.reserve_bytes = 4 * kQuarter});
  std::vector<void*> quarters;
  for (int i = 0; i < 4; ++i) quarters.push_back(pool.allocate(kQuarter));
  EXPECT_THROW((void)pool.allocate(1), out_of_budget);
  // Free the middle two in an order that exercises merging with the next and with the previous.
  pool.deallocate(quarters[2], kQuarter);
  pool.deallocate(quarters[1], kQuarter);
  void* half = pool.allocate(2 * kQuarter);  // only fits if the two were merged
  EXPECT_EQ(half, quarters[1]);
  pool.deallocate(half, 2 * kQuarter);
  pool.deallocate(quarters[0], kQuarter);
  pool.deallocate(quarters[3], kQuarter);
  void* whole = pool.allocate(4 * kQuarter);  // everything merged back into one extent
  EXPECT_EQ(whole, quarters[0]);
  pool.deallocate(whole, 4 * kQuarter);
}

TEST(PoolResource, ReserveCommitsItsPagesAtConstruction) {
#if defined(SIXG_SANITIZE)
  GTEST_SKIP() << "RSS under ASan includes shadow memory and quarantine";
#else
  constexpr std::uint64_t kReserve = 64u << 20;
  const auto before = sixg::mem::read_process_memory().rss_bytes;
  pool_resource pool(std::pmr::new_delete_resource(), PoolOptions{.reserve_bytes = kReserve});
  const auto after = sixg::mem::read_process_memory().rss_bytes;
  EXPECT_GE(static_cast<double>(after) - static_cast<double>(before), 0.9 * static_cast<double>(kReserve));
#endif
}

TEST(PoolResource, ReserveLargerThanTheBudgetFailsAtConstruction) {
  limiting_resource limited(std::pmr::new_delete_resource(), 1000);
  EXPECT_THROW(pool_resource(&limited, PoolOptions{.reserve_bytes = 1001}), out_of_budget);
  pool_resource exact(&limited, PoolOptions{.reserve_bytes = 1000});  // exactly the budget is fine
  EXPECT_EQ(limited.in_use_bytes(), 1000u);
}

}  // namespace
