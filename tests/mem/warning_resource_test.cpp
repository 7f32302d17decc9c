#include "sixg/mem/warning_resource.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <memory_resource>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

using sixg::mem::warning_resource;
using sixg::mem::WarningOptions;

constexpr std::size_t kMiB = std::size_t{1} << 20;

// Available memory the test controls, and a sink that keeps every line.
struct Harness {
  std::atomic<std::uint64_t> available{16 * kMiB};
  std::atomic<int> probes{0};
  std::vector<std::string> lines;

  WarningOptions options(int max_warnings = 3, bool enabled = true) {
    return WarningOptions{.enabled = enabled,
                          .fraction = 0.10,
                          .max_warnings = max_warnings,
                          .available_bytes = [this] {
                            ++probes;
                            return available.load();
                          },
                          .sink = [this](std::string_view line) { lines.emplace_back(line); }};
  }
};

// Allocates and frees `bytes` through `resource` (real memory: a few MiB at most).
void touch(std::pmr::memory_resource& resource, std::size_t bytes) {
  resource.deallocate(resource.allocate(bytes), bytes);
}

TEST(WarningResource, WarnsAboveTheFractionOfAvailableMemoryWithTheNumbers) {
  Harness h;  // 16 MiB available: the threshold is 1.6 MiB
  warning_resource warn(std::pmr::new_delete_resource(), h.options());
  touch(warn, 2 * kMiB);
  ASSERT_EQ(h.lines.size(), 1u);
  EXPECT_EQ(h.lines[0], "warning: allocation of 2097152 bytes (2.00 MiB) exceeds 10% of available memory (16.00 MiB)");
}

TEST(WarningResource, StaysQuietAtOrBelowTheThreshold) {
  Harness h;
  h.available = 20 * kMiB;  // threshold exactly 2 MiB
  warning_resource warn(std::pmr::new_delete_resource(), h.options());
  touch(warn, 2 * kMiB);  // equal to 10 %: not above it
  touch(warn, kMiB);
  EXPECT_TRUE(h.lines.empty());
  touch(warn, 2 * kMiB + 1);
  EXPECT_EQ(h.lines.size(), 1u);
}

TEST(WarningResource, FollowsTheAvailableMemoryAtTheTimeOfTheRequest) {
  Harness h;
  h.available = 64 * kMiB;  // threshold 6.4 MiB
  warning_resource warn(std::pmr::new_delete_resource(), h.options());
  touch(warn, 3 * kMiB);
  EXPECT_TRUE(h.lines.empty());
  h.available = 16 * kMiB;  // memory got scarce: the same kind of request is now large
  touch(warn, 3 * kMiB + 4096);
  EXPECT_EQ(h.lines.size(), 1u);
}

TEST(WarningResource, SmallRequestsAreNeverCheckedNorProbed) {
  Harness h;
  h.available = kMiB;  // threshold 102 KiB: a 512 KiB request is "large" but under the 1 MiB floor
  warning_resource warn(std::pmr::new_delete_resource(), h.options());
  touch(warn, kMiB / 2);
  touch(warn, kMiB - 1);
  EXPECT_TRUE(h.lines.empty());
  EXPECT_EQ(h.probes, 0) << "the fast path must not ask for the available memory";
  touch(warn, kMiB);
  EXPECT_EQ(h.lines.size(), 1u);
}

TEST(WarningResource, WarnsOncePerSizeAndAtMostMaxWarnings) {
  Harness h;
  warning_resource warn(std::pmr::new_delete_resource(), h.options(/*max_warnings=*/3));
  for (int repeat = 0; repeat < 5; ++repeat) touch(warn, 2 * kMiB);  // batch after batch
  EXPECT_EQ(h.lines.size(), 1u);
  for (std::size_t extra = 1; extra <= 5; ++extra) touch(warn, 2 * kMiB + extra * 4096);
  EXPECT_EQ(h.lines.size(), 3u);
  EXPECT_EQ(warn.warnings_issued(), 3);
  const int probes = h.probes;
  touch(warn, 3 * kMiB);
  EXPECT_EQ(h.probes, probes) << "once the quota is spent, large requests skip the probe too";
}

TEST(WarningResource, NeverWarnsWhenDisabled) {
  Harness h;
  warning_resource warn(std::pmr::new_delete_resource(), h.options(3, /*enabled=*/false));
  touch(warn, 2 * kMiB);
  EXPECT_TRUE(h.lines.empty());
  warn.set_enabled(true);
  touch(warn, 2 * kMiB);
  EXPECT_EQ(h.lines.size(), 1u);
  warn.set_enabled(false);
  touch(warn, 3 * kMiB);
  EXPECT_EQ(h.lines.size(), 1u);
}

TEST(WarningResource, MaxWarningsZeroSilencesAndBadOptionsAreRejected) {
  Harness h;
  warning_resource silent(std::pmr::new_delete_resource(), h.options(/*max_warnings=*/0));
  touch(silent, 2 * kMiB);
  EXPECT_TRUE(h.lines.empty());
  auto options = h.options();
  options.fraction = 0.0;
  EXPECT_THROW(warning_resource(std::pmr::new_delete_resource(), options), std::invalid_argument);
  options.fraction = 1.5;
  EXPECT_THROW(warning_resource(std::pmr::new_delete_resource(), options), std::invalid_argument);
}

TEST(WarningResource, AFailingProbeDoesNotFailTheAllocation) {
  WarningOptions options;
  options.available_bytes = []() -> std::uint64_t { throw std::runtime_error("probe failed"); };
  options.sink = [](std::string_view) {};
  warning_resource warn(std::pmr::new_delete_resource(), options);
  EXPECT_NO_THROW(touch(warn, 2 * kMiB));
}

}  // namespace
