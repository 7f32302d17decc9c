// `sixg memory [--json]` as a user runs it: the DESIGN §4 `memory` object with exactly its keys,
// numbers that agree with /proc/meminfo read beside it, the seed-shaped text block, and (as root
// with a writable memory cgroup) the limit of a 300 MiB group the command is started in.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <optional>
#include <string>
#include <vector>

#include "sixg/mem/byte_size.h"
#include "sixg/mem/system_probe.h"
#include "support/run_command.h"
#include "support/scoped_cgroup.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using sixg::test::run_sixg;

struct Meminfo {
  std::uint64_t total = 0;
  std::uint64_t available = 0;
};

/// /proc/meminfo read independently of the library (sscanf).
Meminfo read_meminfo() {
  std::ifstream in("/proc/meminfo");
  Meminfo m;
  std::string line;
  while (std::getline(in, line)) {
    unsigned long long kib = 0;
    if (std::sscanf(line.c_str(), "MemTotal: %llu kB", &kib) == 1) m.total = kib * 1024;
    if (std::sscanf(line.c_str(), "MemAvailable: %llu kB", &kib) == 1) m.available = kib * 1024;
  }
  return m;
}

std::set<std::string> keys_of(const json& object) {
  std::set<std::string> keys;
  for (const auto& item : object.items()) keys.insert(item.key());
  return keys;
}

/// The contract's invariants, whatever the machine.
void expect_consistent(const json& j) {
  const auto total = j["system"]["total_bytes"].get<std::uint64_t>();
  const auto available = j["system"]["available_bytes"].get<std::uint64_t>();
  ASSERT_GT(total, 0u);
  EXPECT_LE(available, total);
  const double used_percent = 100.0 * static_cast<double>(total - available) / static_cast<double>(total);
  EXPECT_NEAR(j["system"]["used_percent"].get<double>(), used_percent, 1e-9);
  const auto effective = j["effective_available_bytes"].get<std::uint64_t>();
  if (j["cgroup"].is_null()) {
    EXPECT_EQ(effective, available);
  } else {
    const auto limit = j["cgroup"]["limit_bytes"].get<std::uint64_t>();
    const auto usage = j["cgroup"]["usage_bytes"].get<std::uint64_t>();
    EXPECT_EQ(effective, std::min(available, limit > usage ? limit - usage : 0));
  }
  EXPECT_GT(j["process"]["rss_bytes"].get<std::uint64_t>(), 0u);
  EXPECT_GE(j["process"]["peak_rss_bytes"].get<std::uint64_t>(), j["process"]["rss_bytes"].get<std::uint64_t>());
  for (const auto& gpu : j["gpus"]) {
    EXPECT_LE(gpu["used_bytes"].get<std::uint64_t>() + gpu["free_bytes"].get<std::uint64_t>(),
              gpu["total_bytes"].get<std::uint64_t>());
  }
}

TEST(MemoryCommand, JsonHasExactlyTheContractKeys) {
  const auto r = run_sixg({"memory", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(keys_of(j), (std::set<std::string>{"system", "cgroup", "effective_available_bytes", "process", "gpus"}));
  EXPECT_EQ(keys_of(j["system"]), (std::set<std::string>{"total_bytes", "available_bytes", "used_percent"}));
  EXPECT_EQ(keys_of(j["process"]), (std::set<std::string>{"rss_bytes", "peak_rss_bytes"}));
  ASSERT_TRUE(j["cgroup"].is_null() || j["cgroup"].is_object());
  if (j["cgroup"].is_object()) {
    EXPECT_EQ(keys_of(j["cgroup"]), (std::set<std::string>{"limit_bytes", "usage_bytes"}));
  }
  ASSERT_TRUE(j["gpus"].is_array());
  for (const auto& gpu : j["gpus"]) {
    EXPECT_EQ(keys_of(gpu), (std::set<std::string>{"index", "name", "total_bytes", "used_bytes", "free_bytes"}));
  }
  expect_consistent(j);
}

TEST(MemoryCommand, JsonAgreesWithProcMeminfo) {
  const Meminfo before = read_meminfo();
  const auto r = run_sixg({"memory", "--json"});
  const Meminfo after = read_meminfo();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["system"]["total_bytes"].get<std::uint64_t>(), before.total);
  // MemAvailable moves while other processes run: the command's reading must lie within what this
  // test saw around it, give or take 2 % of the machine.
  const auto available = j["system"]["available_bytes"].get<std::uint64_t>();
  const std::uint64_t slack = before.total / 50;
  EXPECT_GE(available + slack, std::min(before.available, after.available));
  EXPECT_LE(available, std::max(before.available, after.available) + slack);
}

TEST(MemoryCommand, TextIsTheSeedBlock) {
  const auto r = run_sixg({"memory"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream out(r.out);
  std::string line;
  std::vector<std::string> lines;
  while (std::getline(out, line)) lines.push_back(line);
  ASSERT_GE(lines.size(), 6u) << r.out;
  EXPECT_EQ(lines[0], "System Memory Status:");
  EXPECT_EQ(lines[1], "  - System Total: " + sixg::mem::format_bytes(read_meminfo().total));
  EXPECT_EQ(lines[2].rfind("  - System Available: ", 0), 0u) << lines[2];
  unsigned whole = 0;
  unsigned tenth = 0;
  EXPECT_EQ(std::sscanf(lines[3].c_str(), "  - System Used: %u.%1u%%", &whole, &tenth), 2) << lines[3];
  EXPECT_LE(whole, 100u);
  EXPECT_EQ(std::sscanf(lines[4].c_str(), "  - Process RSS: %u.%1u MiB", &whole, &tenth), 2) << lines[4];
  EXPECT_NE(r.out.find("  - Effective Available: "), std::string::npos);
}

TEST(MemoryCommand, UnknownOptionIsBadInput) {
  const auto r = run_sixg({"memory", "--no-such-option"});
  EXPECT_EQ(r.exit_code, 2);
}

// ---- inside a 300 MiB cgroup -----------------------------------------------------------------

constexpr std::uint64_t kLimit = std::uint64_t{300} << 20;

/// Runs `sixg memory --json` in a new group below the test's own one, limited to 300 MiB through
/// `limit_file`; skips (with the reason) where the group cannot be made.
void run_in_limited_group(int version, const char* limit_file) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to create cgroups";
  const auto own = sixg::test::own_memory_cgroup(version);
  if (!own) GTEST_SKIP() << "no cgroup v" << version << " hierarchy";
  const sixg::test::ScopedCgroupDir group(own->directory / ("sixg_cli_test_" + std::to_string(::getpid())));
  if (!group.created()) GTEST_SKIP() << "cannot create " << group.dir();
  if (!sixg::test::write_control_file(group.dir() / limit_file, std::to_string(kLimit))) {
    GTEST_SKIP() << "cannot write " << group.dir() / limit_file << " (no memory controller there)";
  }
  const auto r = run_sixg({"memory", "--json"}, sixg::test::run_in_cgroup_prefix(group.dir()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  ASSERT_TRUE(j["cgroup"].is_object()) << r.out;
  EXPECT_EQ(j["cgroup"]["limit_bytes"].get<std::uint64_t>(), kLimit);
  EXPECT_LE(j["effective_available_bytes"].get<std::uint64_t>(), kLimit);
  expect_consistent(j);
}

TEST(MemoryCommand, InsideA300MiBCgroupV1) { run_in_limited_group(1, "memory.limit_in_bytes"); }

TEST(MemoryCommand, InsideA300MiBCgroupV2) { run_in_limited_group(2, "memory.max"); }

}  // namespace
