// Budgets hold for the whole process (issue "memory-managed runs"): peak RSS, measured by the parent
// from the kernel's rusage, stays under --memory-limit; inside a memory-limited cgroup a run with
// --batch-size auto finishes without being OOM-killed; the estimated growth between two batch sizes
// matches the measured peak-RSS growth. Sanitizer builds skip these: their shadow memory is RSS the
// program does not own.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>
#include <nlohmann/json.hpp>

#include "support/run_command.h"
#include "support/scoped_cgroup.h"

using nlohmann::json;
using sixg::test::run_sixg;

namespace {

std::string temp_path(const std::string& name) { return "/tmp/sixg_budget_" + std::to_string(::getpid()) + "_" + name; }

json read_json(const std::string& path) {
  std::ifstream in(path);
  return json::parse(in);
}

#if defined(SIXG_SANITIZE)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

}  // namespace

TEST(MemoryBudget, PeakRssStaysUnderTheMemoryLimit) {
  if (kSanitized) GTEST_SKIP() << "RSS limits are meaningless with ASan shadow memory";
  for (const char* limit : {"128MiB", "512MiB", "4GiB"}) {
    const std::string out = temp_path("limit.json");
    const auto r = run_sixg({"simulate", "--memory-limit", limit, "--batch-size", "auto", "--ebno", "-10",
                             "--max-frames", "40", "--threads", "2", "--json", out, "--quiet"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json doc = read_json(out);
    const std::uint64_t limit_bytes = std::string(limit) == "128MiB"   ? std::uint64_t{128} << 20
                                      : std::string(limit) == "512MiB" ? std::uint64_t{512} << 20
                                                                       : std::uint64_t{4} << 30;
    EXPECT_LE(static_cast<std::uint64_t>(r.max_rss_kib) * 1024, limit_bytes) << limit;
    EXPECT_LE(doc["memory"]["process_peak_rss_bytes"].get<std::uint64_t>(), limit_bytes);
    EXPECT_GE(doc["memory"]["batch_size"].get<int>(), 1);
    std::remove(out.c_str());
  }
}

TEST(MemoryBudget, EstimatedGrowthMatchesMeasuredRssGrowth) {
  if (kSanitized) GTEST_SKIP() << "RSS is not comparable under ASan";
  auto run = [&](int batch) {
    const std::string out = temp_path("growth.json");
    const auto r = run_sixg({"simulate", "--batch-size", std::to_string(batch), "--max-frames", std::to_string(batch),
                             "--ebno", "-10", "--threads", "1", "--json", out, "--quiet"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const auto estimated = read_json(out)["memory"]["estimated_peak_bytes"].get<std::uint64_t>();
    std::remove(out.c_str());
    return std::pair{static_cast<double>(r.max_rss_kib) * 1024.0, static_cast<double>(estimated)};
  };
  const auto [rss_small, est_small] = run(2);
  const auto [rss_large, est_large] = run(12);
  const double measured_growth = rss_large - rss_small, estimated_growth = est_large - est_small;
  EXPECT_NEAR(estimated_growth, measured_growth, 0.15 * measured_growth)
      << "estimated " << estimated_growth / 1048576 << " MiB, measured " << measured_growth / 1048576 << " MiB";
}

TEST(MemoryBudget, AutoBatchInsideAMemoryCgroupFinishesWithoutOomKill) {
  if (kSanitized) GTEST_SKIP() << "RSS limits are meaningless with ASan shadow memory";
  sixg::test::ScopedMemoryCgroup group(300u << 20);
  if (!group.ok()) GTEST_SKIP() << "cannot make a memory cgroup here: " << group.why();
  const std::string out = temp_path("cgroup.json");
  const auto r = run_sixg({"simulate", "--batch-size", "auto", "--ebno", "-10", "--max-frames", "60", "--threads", "2",
                           "--json", out, "--quiet"},
                          group.run_prefix());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(group.oom_kills(), 0u);
  const json doc = read_json(out);
  EXPECT_LE(doc["memory"]["process_peak_rss_bytes"].get<std::uint64_t>(), 300u << 20);
  EXPECT_LE(doc["memory"]["budget_bytes"].get<std::uint64_t>(), 300u << 20);  // the cgroup bound the budget
  std::remove(out.c_str());
}

TEST(MemoryBudget, HugePagesKeepTheCountsAndTheLimit) {
  // --huge-pages changes where tensors live, nothing they hold: the same counts, the same budget.
  auto run = [&](bool huge) {
    const std::string out = temp_path(huge ? "huge.json" : "small.json");
    std::vector<std::string> args{"simulate", "--memory-limit", "128MiB", "--ebno", "-10,-9.8", "--max-frames", "8",
                                  "--batch-size", "4", "--threads", "2", "--json", out, "--quiet"};
    if (huge) args.push_back("--huge-pages");
    const auto r = run_sixg(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    if (!kSanitized) {
      EXPECT_LE(static_cast<std::uint64_t>(r.max_rss_kib) * 1024, std::uint64_t{128} << 20);
    }
    json doc = read_json(out);
    std::remove(out.c_str());
    return doc;
  };
  const json small = run(false), huge = run(true);
  EXPECT_FALSE(small["memory"]["huge_pages"].get<bool>());
  EXPECT_TRUE(huge["memory"]["huge_pages"].get<bool>());
  ASSERT_EQ(small["points"].size(), huge["points"].size());
  for (std::size_t i = 0; i < small["points"].size(); ++i) {
    EXPECT_EQ(small["points"][i]["bit_errors"], huge["points"][i]["bit_errors"]);
    EXPECT_EQ(small["points"][i]["block_errors"], huge["points"][i]["block_errors"]);
    EXPECT_EQ(small["points"][i]["num_bits"], huge["points"][i]["num_bits"]);
  }
}
