#include "sixg/mem/limiting_resource.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <memory_resource>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include "sixg/mem/out_of_budget.h"

namespace {

using sixg::mem::limiting_resource;
using sixg::mem::out_of_budget;

// An upstream that refuses everything, as the system does when memory is really gone.
class RefusingResource final : public std::pmr::memory_resource {
  void* do_allocate(std::size_t, std::size_t) override { throw std::bad_alloc(); }
  void do_deallocate(void*, std::size_t, std::size_t) override {}
  bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }
};

TEST(LimitingResource, ReachingTheLimitExactlySucceedsOneByteMoreThrows) {
  limiting_resource limited(std::pmr::new_delete_resource(), 1000);
  void* a = limited.allocate(600);
  void* b = limited.allocate(400);
  EXPECT_EQ(limited.in_use_bytes(), 1000u);
  try {
    (void)limited.allocate(1);
    FAIL() << "one byte over the limit was allowed";
  } catch (const out_of_budget& error) {
    EXPECT_EQ(error.requested_bytes(), 1u);
    EXPECT_EQ(error.in_use_bytes(), 1000u);
    EXPECT_EQ(error.limit_bytes(), 1000u);
  }
  EXPECT_EQ(limited.in_use_bytes(), 1000u) << "a refused request must not stay counted";
  limited.deallocate(b, 400);
  void* c = limited.allocate(400);  // the freed room is usable again
  limited.deallocate(c, 400);
  limited.deallocate(a, 600);
  EXPECT_EQ(limited.in_use_bytes(), 0u);
}

TEST(LimitingResource, OutOfBudgetIsABadAllocThatNamesTheNumbersInBinaryUnits) {
  limiting_resource limited(std::pmr::new_delete_resource(), 3u << 20);
  void* held = limited.allocate(2u << 20);
  try {
    (void)limited.allocate(3u << 19);
    FAIL() << "over the limit";
  } catch (const std::bad_alloc& error) {  // callers that only know the standard still catch it
    const std::string message = error.what();
    EXPECT_NE(message.find("1.50 MiB"), std::string::npos) << message;  // requested
    EXPECT_NE(message.find("2.00 MiB"), std::string::npos) << message;  // in use
    EXPECT_NE(message.find("3.00 MiB"), std::string::npos) << message;  // limit
  }
  limited.deallocate(held, 2u << 20);
}

TEST(LimitingResource, HugeRequestCannotWrapAroundTheCheck) {
  limiting_resource limited(std::pmr::new_delete_resource(), 1000);
  void* held = limited.allocate(600);
  // 600 + (max - 100) wraps to 499 in 64 bits; a naive "in_use + bytes > limit" would let it through.
  // volatile: a size the compiler can see exceeds any object, and -O0 builds warn (an error with -Werror).
  const volatile std::size_t huge = std::numeric_limits<std::size_t>::max() - 100;
  EXPECT_THROW((void)limited.allocate(huge), out_of_budget);
  EXPECT_EQ(limited.in_use_bytes(), 600u);
  limited.deallocate(held, 600);
}

TEST(LimitingResource, UpstreamFailureGivesTheReservationBack) {
  RefusingResource refusing;
  limiting_resource limited(&refusing, 1000);
  EXPECT_THROW((void)limited.allocate(500), std::bad_alloc);
  EXPECT_EQ(limited.in_use_bytes(), 0u);
}

TEST(LimitingResource, LoweredLimitRefusesUntilEnoughIsFreed) {
  limiting_resource limited(std::pmr::new_delete_resource(), 1000);
  void* a = limited.allocate(800);
  limited.set_limit(500);
  EXPECT_EQ(limited.limit_bytes(), 500u);
  EXPECT_THROW((void)limited.allocate(1), out_of_budget);
  limited.deallocate(a, 800);
  void* b = limited.allocate(500);
  EXPECT_THROW((void)limited.allocate(1), out_of_budget);
  limited.deallocate(b, 500);
}

TEST(LimitingResource, ConcurrentAllocationsFillTheBudgetExactlyAndNeverOvershoot) {
  constexpr std::size_t kBlock = 64;
  constexpr std::size_t kBlocksThatFit = 4000;
  constexpr int kThreads = 8;
  limiting_resource limited(std::pmr::new_delete_resource(), kBlock * kBlocksThatFit);
  std::vector<std::vector<void*>> held(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&limited, &mine = held[static_cast<std::size_t>(t)]] {
      try {
        for (;;) mine.push_back(limited.allocate(kBlock));
      } catch (const out_of_budget&) {
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::size_t blocks = 0;
  for (const auto& mine : held) blocks += mine.size();
  // Every thread stops only at a refusal, so together they must hold exactly the budget.
  EXPECT_EQ(blocks, kBlocksThatFit);
  EXPECT_EQ(limited.in_use_bytes(), kBlock * kBlocksThatFit);
  for (const auto& mine : held) {
    for (void* p : mine) limited.deallocate(p, kBlock);
  }
  EXPECT_EQ(limited.in_use_bytes(), 0u);
}

}  // namespace
