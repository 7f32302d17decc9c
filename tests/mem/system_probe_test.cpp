// SystemProbe: the /proc and cgroup parsers on hand-made text, and the whole probe on recorded
// file trees (tests/data/proc/<case>/, laid out as under "/"):
//   v1_unlimited      this development machine: v1 memory hierarchy with no limit, v2 without memory
//   v1_limited        memory co-mounted with cpu ("5:cpu,memory:/jobs/sim"), 512 MiB on the leaf
//   v1_namespaced     container view: the mount shows /docker/0123abcd as its root
//   v1_missing_group  the group named in /proc/self/cgroup does not exist under the mount
//   v2_nested         smallest limit at one ancestor, least headroom at another, leaf "max"
//   v2_max            "max" everywhere;  missing_files: no mountinfo, no cgroup directories
//   garbage           malformed lines and values everywhere, one valid 100 MiB limit
#include "sixg/mem/system_probe.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using sixg::mem::CgroupMemory;
using sixg::mem::SystemMemory;
using sixg::mem::SystemProbe;

constexpr std::uint64_t kKiB = 1024;
constexpr std::uint64_t kMiB = kKiB << 10;
constexpr std::uint64_t kGiB = std::uint64_t{1} << 30;

std::filesystem::path recorded(const char* name) { return std::filesystem::path(SIXG_TEST_DATA_DIR) / "proc" / name; }

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// An independent reading of one "Key: N kB" field (sscanf instead of the library's parser).
std::uint64_t kib_field(const std::string& text, const std::string& key) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    unsigned long long kib = 0;
    if (line.rfind(key + ":", 0) == 0 && std::sscanf(line.c_str() + key.size() + 1, "%llu kB", &kib) == 1) {
      return kib * 1024;
    }
  }
  ADD_FAILURE() << key << " not found";
  return 0;
}

// ---- /proc/meminfo ---------------------------------------------------------------------------

TEST(ParseMeminfo, ConvertsKibToBytesAndComputesUsedPercent) {
  const auto m = sixg::mem::parse_meminfo("MemTotal:    1000 kB\nMemFree:     100 kB\nMemAvailable:  250 kB\n");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->total_bytes, 1000 * kKiB);
  EXPECT_EQ(m->available_bytes, 250 * kKiB);  // MemAvailable, not MemFree
  EXPECT_DOUBLE_EQ(m->used_percent, 75.0);
}

TEST(ParseMeminfo, MatchesWholeKeysOnly) {
  // A key that merely starts with "MemTotal" must not be taken for it.
  const auto m = sixg::mem::parse_meminfo("MemTotalHuge: 99999 kB\nMemTotal: 2000 kB\nMemAvailable: 500 kB\n");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->total_bytes, 2000 * kKiB);
}

TEST(ParseMeminfo, FallsBackToMemFreeOnKernelsWithoutMemAvailable) {
  const auto m = sixg::mem::parse_meminfo("MemTotal: 2000 kB\nMemFree: 300 kB\nCached: 900 kB\n");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->available_bytes, 300 * kKiB);
}

TEST(ParseMeminfo, ClampsAvailableToTotal) {
  const auto m = sixg::mem::parse_meminfo("MemTotal: 100 kB\nMemAvailable: 200 kB\n");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->available_bytes, m->total_bytes);
  EXPECT_DOUBLE_EQ(m->used_percent, 0.0);
}

TEST(ParseMeminfo, RejectsTextWithoutUsableTotal) {
  EXPECT_FALSE(sixg::mem::parse_meminfo(""));
  EXPECT_FALSE(sixg::mem::parse_meminfo("MemAvailable: 200 kB\n"));
  EXPECT_FALSE(sixg::mem::parse_meminfo("MemTotal: 0 kB\n"));
  EXPECT_FALSE(sixg::mem::parse_meminfo("MemTotal: lots kB\n"));
  EXPECT_FALSE(sixg::mem::parse_meminfo("MemTotal: -5 kB\n"));
  EXPECT_FALSE(sixg::mem::parse_meminfo("MemTotal: 100 MB\n"));                  // not the kernel's unit
  EXPECT_FALSE(sixg::mem::parse_meminfo("MemTotal: 36028797018963968 kB\n"));  // 2^55 KiB overflows bytes
}

TEST(ParseMeminfo, ReadsTheRecordedFileOfThisMachine) {
  const std::string text = slurp(recorded("v1_unlimited") / "proc/meminfo");
  const auto m = sixg::mem::parse_meminfo(text);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->total_bytes, kib_field(text, "MemTotal"));
  EXPECT_EQ(m->available_bytes, kib_field(text, "MemAvailable"));
}

// ---- cgroup files ----------------------------------------------------------------------------

TEST(ParseCgroupLimit, NumbersAreLimitsAndMaxOrHugeValuesAreNot) {
  using sixg::mem::parse_cgroup_limit;
  EXPECT_EQ(parse_cgroup_limit("314572800\n"), 300 * kMiB);
  EXPECT_EQ(parse_cgroup_limit("0\n"), 0u);  // a real (if useless) limit
  EXPECT_FALSE(parse_cgroup_limit("max\n"));
  EXPECT_FALSE(parse_cgroup_limit("9223372036854771712\n"));  // v1's "unlimited"
  // The threshold is 2^62: just below is a limit, at it is not.
  EXPECT_EQ(parse_cgroup_limit(std::to_string((std::uint64_t{1} << 62) - 4096)), (std::uint64_t{1} << 62) - 4096);
  EXPECT_FALSE(parse_cgroup_limit(std::to_string(std::uint64_t{1} << 62)));
}

TEST(ParseCgroupLimit, GarbageMeansNoLimit) {
  using sixg::mem::parse_cgroup_limit;
  for (const char* text : {"", "\n", "12abc", "-5", "1e9", "0x100", "18446744073709551616", "max max"}) {
    EXPECT_FALSE(parse_cgroup_limit(text)) << '"' << text << '"';
  }
}

TEST(ParseCgroupCounter, ReadsTrimmedDecimalsOnly) {
  EXPECT_EQ(sixg::mem::parse_cgroup_counter(" 42 \n"), 42u);
  EXPECT_EQ(sixg::mem::parse_cgroup_counter("9223372036854771712"), 9223372036854771712u);
  EXPECT_FALSE(sixg::mem::parse_cgroup_counter("-5"));
  EXPECT_FALSE(sixg::mem::parse_cgroup_counter("garbage"));
}

TEST(ParseProcCgroup, ReadsV1AndV2LinesOfTheRecordedMachine) {
  const auto groups = sixg::mem::parse_proc_cgroup(slurp(recorded("v1_unlimited") / "proc/self/cgroup"));
  ASSERT_EQ(groups.size(), 10u);  // lines 9..1 (v1) and 0 (v2)
  EXPECT_EQ(groups.front().hierarchy_id, 9u);
  EXPECT_EQ(groups.front().controllers, std::vector<std::string>{"name=systemd"});
  const auto& memory = groups[5];
  EXPECT_EQ(memory.hierarchy_id, 4u);
  EXPECT_EQ(memory.controllers, std::vector<std::string>{"memory"});
  EXPECT_EQ(memory.path, "/process_api/7f6cdc209bb7fd3cfa66dee55a630f76");
  EXPECT_EQ(groups.back().hierarchy_id, 0u);
  EXPECT_TRUE(groups.back().controllers.empty());
  EXPECT_EQ(groups.back().path, "/");
}

TEST(ParseProcCgroup, SplitsControllerListsKeepsColonsInPathsAndSkipsMalformedLines) {
  const auto groups =
      sixg::mem::parse_proc_cgroup("5:cpu,memory:/x\ngarbage\nx:memory:/bad\n4:memory:relative\n0::/a:b\n");
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].controllers, (std::vector<std::string>{"cpu", "memory"}));
  EXPECT_EQ(groups[0].path, "/x");
  EXPECT_EQ(groups[1].path, "/a:b");
}

TEST(FindCgroupMounts, FindsTheMemoryHierarchyAndTheUnifiedOneOnTheRecordedMachine) {
  const std::string mountinfo = slurp(recorded("v1_unlimited") / "proc/self/mountinfo");
  const auto v1 = sixg::mem::find_cgroup_v1_memory_mount(mountinfo);
  ASSERT_TRUE(v1);
  EXPECT_EQ(v1->mount_point, "/sys/fs/cgroup/memory");
  EXPECT_EQ(v1->root, "/");
  const auto v2 = sixg::mem::find_cgroup_v2_mount(mountinfo);
  ASSERT_TRUE(v2);
  EXPECT_EQ(v2->mount_point, "/sys/fs/cgroup/unified");
}

TEST(FindCgroupMounts, MatchesTheMemoryOptionExactlyAndSkipsOptionalFields) {
  // "memory_recursiveprot" (a cgroup2 option) and "name=memory" are not the memory controller;
  // "shared:9" is an optional field before the separator.
  const std::string mountinfo =
      "25 23 0:22 / /sys/fs/cgroup/unified rw shared:4 - cgroup2 cgroup2 rw,memory_recursiveprot\n"
      "26 23 0:23 / /sys/fs/cgroup/named rw shared:5 - cgroup cgroup rw,name=memory\n"
      "27 23 0:24 /ns /sys/fs/cgroup/my\\040memory rw shared:9 master:2 - cgroup cgroup rw,cpu,memory\n";
  const auto v1 = sixg::mem::find_cgroup_v1_memory_mount(mountinfo);
  ASSERT_TRUE(v1);
  EXPECT_EQ(v1->mount_point, "/sys/fs/cgroup/my memory");  // "\040" is an escaped space
  EXPECT_EQ(v1->root, "/ns");
  EXPECT_FALSE(sixg::mem::find_cgroup_v1_memory_mount("27 23 0:24 / /x rw - cgroup cgroup rw,cpu\n"));
  EXPECT_FALSE(sixg::mem::find_cgroup_v2_mount("garbage\n1 2 3\n- - -\n"));
}

// ---- combining levels ------------------------------------------------------------------------

TEST(BindingLevel, IsTheLeastHeadroomNotTheSmallestLimit) {
  const std::vector<CgroupMemory> levels{{1000, 100, "/a/b", 2}, {2000, 1900, "/a", 2}};
  const auto binding = sixg::mem::binding_level(levels);
  ASSERT_TRUE(binding);
  EXPECT_EQ(binding->path, "/a");
  EXPECT_EQ(binding->headroom_bytes(), 100u);
  EXPECT_FALSE(sixg::mem::binding_level({}));
}

TEST(EffectiveAvailable, IsTheSmallerOfSystemAndHeadroomAndNeverNegative) {
  const SystemMemory system{1000, 600, 40.0};
  EXPECT_EQ(sixg::mem::effective_available(system, std::nullopt), 600u);
  EXPECT_EQ(sixg::mem::effective_available(system, CgroupMemory{500, 200, "/", 1}), 300u);
  EXPECT_EQ(sixg::mem::effective_available(system, CgroupMemory{5000, 200, "/", 1}), 600u);
  EXPECT_EQ(sixg::mem::effective_available(system, CgroupMemory{500, 700, "/", 1}), 0u);  // over its limit
  // Unreadable meminfo (total 0) bounds nothing: the cgroup alone decides.
  EXPECT_EQ(sixg::mem::effective_available(SystemMemory{}, CgroupMemory{500, 200, "/", 1}), 300u);
}

// ---- the probe on recorded trees -------------------------------------------------------------

/// Invariants every status must satisfy, whatever the tree.
void expect_consistent(const sixg::mem::MemoryStatus& s) {
  EXPECT_LE(s.system.available_bytes, s.system.total_bytes);
  EXPECT_EQ(s.effective_available_bytes, sixg::mem::effective_available(s.system, s.cgroup));
  EXPECT_LE(s.process.rss_bytes, s.process.peak_rss_bytes);
}

TEST(SystemProbeRecorded, ThisMachineHasNoLimitSoEffectiveIsMemAvailable) {
  const SystemProbe probe(recorded("v1_unlimited"));
  const auto status = probe.status();
  expect_consistent(status);
  const std::string meminfo = slurp(recorded("v1_unlimited") / "proc/meminfo");
  EXPECT_EQ(status.system.total_bytes, kib_field(meminfo, "MemTotal"));
  EXPECT_FALSE(status.cgroup);
  EXPECT_EQ(status.effective_available_bytes, kib_field(meminfo, "MemAvailable"));
  EXPECT_TRUE(status.gpus.empty());  // a recorded tree never reports the live machine's GPUs

  const std::string self_status = slurp(recorded("v1_unlimited") / "proc/self/status");
  EXPECT_EQ(status.process.rss_bytes, kib_field(self_status, "VmRSS"));
  EXPECT_EQ(status.process.peak_rss_bytes, kib_field(self_status, "VmHWM"));

  // Both hierarchies are located, in the order of /proc/self/cgroup ("4:memory:..." before "0::/").
  const auto locations = sixg::mem::locate_memory_cgroups(probe.root());
  ASSERT_EQ(locations.size(), 2u);
  EXPECT_EQ(locations[0].version, 1);
  EXPECT_EQ(locations[0].path, "/process_api/7f6cdc209bb7fd3cfa66dee55a630f76");
  EXPECT_EQ(locations[0].directory,
            recorded("v1_unlimited") / "sys/fs/cgroup/memory/process_api/7f6cdc209bb7fd3cfa66dee55a630f76");
  EXPECT_EQ(locations[1].version, 2);
  EXPECT_EQ(locations[1].directory, recorded("v1_unlimited") / "sys/fs/cgroup/unified");
}

TEST(SystemProbeRecorded, V1LimitIsFoundThroughMountinfoNotTheUsualPath) {
  // The tree also has a 1 MiB decoy under /sys/fs/cgroup/memory, where the hierarchy is not mounted.
  const auto status = SystemProbe(recorded("v1_limited")).status(false);
  expect_consistent(status);
  ASSERT_TRUE(status.cgroup);
  EXPECT_EQ(status.cgroup->version, 1);
  EXPECT_EQ(status.cgroup->path, "/jobs/sim");
  EXPECT_EQ(status.cgroup->limit_bytes, 512 * kMiB);
  EXPECT_EQ(status.cgroup->usage_bytes, 200 * kMiB);
  EXPECT_EQ(status.effective_available_bytes, 312 * kMiB);
  // The unlimited ancestors (9223372036854771712) are read but are not levels.
  EXPECT_EQ(SystemProbe(recorded("v1_limited")).cgroup_levels().size(), 1u);
}

TEST(SystemProbeRecorded, V1MountRootPrefixIsCutAndTheWalkStopsAtTheMount) {
  const SystemProbe probe(recorded("v1_namespaced"));
  const auto levels = probe.cgroup_levels();
  ASSERT_EQ(levels.size(), 2u);
  EXPECT_EQ(levels[0].path, "/docker/0123abcd/worker");
  EXPECT_EQ(levels[0].limit_bytes, kGiB);
  EXPECT_EQ(levels[1].path, "/docker/0123abcd");
  const auto status = probe.status(false);
  expect_consistent(status);
  ASSERT_TRUE(status.cgroup);
  EXPECT_EQ(status.cgroup->path, "/docker/0123abcd");  // 68 MiB headroom beats the leaf's 924 MiB
  EXPECT_EQ(status.effective_available_bytes, 68 * kMiB);
}

TEST(SystemProbeRecorded, V1GroupMissingUnderTheMountFallsBackToTheMountPoint) {
  const SystemProbe probe(recorded("v1_missing_group"));
  const auto locations = sixg::mem::locate_memory_cgroups(probe.root());
  ASSERT_EQ(locations.size(), 1u);
  EXPECT_EQ(locations[0].directory, locations[0].mount_dir);
  const auto status = probe.status(false);
  expect_consistent(status);
  ASSERT_TRUE(status.cgroup);
  EXPECT_EQ(status.cgroup->limit_bytes, 768 * kMiB);
  EXPECT_EQ(status.cgroup->path, "/");
}

TEST(SystemProbeRecorded, V2WalksEveryAncestorAndTakesTheLeastHeadroom) {
  const SystemProbe probe(recorded("v2_nested"));
  const auto levels = probe.cgroup_levels();
  ASSERT_EQ(levels.size(), 2u);  // the leaf says "max", the root has no memory.max
  EXPECT_EQ(levels[0].path, "/user.slice/app.scope");
  EXPECT_EQ(levels[1].path, "/user.slice");
  const auto status = probe.status(false);
  expect_consistent(status);
  ASSERT_TRUE(status.cgroup);
  EXPECT_EQ(status.cgroup->version, 2);
  EXPECT_EQ(status.cgroup->path, "/user.slice");  // 2 GiB limit, 100 MiB left; app.scope has 1 GiB, 424 MiB left
  EXPECT_EQ(status.cgroup->limit_bytes, 2 * kGiB);
  EXPECT_EQ(status.effective_available_bytes, 100 * kMiB);
}

TEST(SystemProbeRecorded, V2MaxEverywhereMeansNoCgroup) {
  const auto status = SystemProbe(recorded("v2_max")).status(false);
  expect_consistent(status);
  EXPECT_FALSE(status.cgroup);
  EXPECT_EQ(status.effective_available_bytes, status.system.available_bytes);
  EXPECT_GT(status.effective_available_bytes, 0u);
}

TEST(SystemProbeRecorded, MissingFilesMeanNoLimitAndZeros) {
  const auto status = SystemProbe(recorded("missing_files")).status(false);
  expect_consistent(status);
  EXPECT_FALSE(status.cgroup);
  EXPECT_GT(status.system.total_bytes, 0u);
  EXPECT_EQ(status.process.rss_bytes, 0u);  // no proc/self/status in this tree

  const auto nothing = SystemProbe(recorded("no_such_tree")).status();
  EXPECT_EQ(nothing.system.total_bytes, 0u);
  EXPECT_FALSE(nothing.cgroup);
  EXPECT_EQ(nothing.effective_available_bytes, 0u);
  EXPECT_TRUE(nothing.gpus.empty());
}

TEST(SystemProbeRecorded, GarbageIsIgnoredLevelByLevel) {
  const auto status = SystemProbe(recorded("garbage")).status(false);
  expect_consistent(status);
  EXPECT_EQ(status.system.total_bytes, 16384000 * kKiB);
  EXPECT_EQ(status.system.available_bytes, 4096000 * kKiB);
  // g/h: limit 100 MiB with an unreadable usage (counted as 0); g: "12abc"; root: empty file.
  ASSERT_TRUE(status.cgroup);
  EXPECT_EQ(status.cgroup->path, "/g/h");
  EXPECT_EQ(status.cgroup->limit_bytes, 100 * kMiB);
  EXPECT_EQ(status.cgroup->usage_bytes, 0u);
  EXPECT_EQ(status.effective_available_bytes, 100 * kMiB);
  EXPECT_EQ(status.process.rss_bytes, 0u);  // "VmRSS: twelve kB"
}

// ---- GPUs ------------------------------------------------------------------------------------

TEST(GpuProbe, NoLibraryOrNoNvmlSymbolsMeansNoGpus) {
  EXPECT_TRUE(sixg::mem::query_gpu_memory("libsixg-no-such-library.so.1").empty());
  // Loadable, but without the NVML entry points.
  EXPECT_TRUE(sixg::mem::query_gpu_memory("libc.so.6").empty());
}

TEST(GpuProbe, EveryReportedGpuIsConsistent) {
  // Runs on whatever this machine has: none without the NVIDIA driver.
  const auto gpus = sixg::mem::query_gpu_memory();
  for (std::size_t i = 0; i < gpus.size(); ++i) {
    EXPECT_EQ(gpus[i].index, static_cast<int>(i));
    EXPECT_FALSE(gpus[i].name.empty());
    EXPECT_GT(gpus[i].total_bytes, 0u);
    EXPECT_LE(gpus[i].used_bytes + gpus[i].free_bytes, gpus[i].total_bytes);
  }
}

// ---- the live machine ------------------------------------------------------------------------

TEST(SystemProbeLive, TotalMatchesProcMeminfoAndEffectiveIsBoundedByIt) {
  const auto status = SystemProbe{}.status(false);
  expect_consistent(status);
  EXPECT_EQ(status.system.total_bytes, kib_field(slurp("/proc/meminfo"), "MemTotal"));
  EXPECT_GT(status.effective_available_bytes, 0u);
  EXPECT_LE(status.effective_available_bytes, status.system.available_bytes);
  EXPECT_GT(status.process.rss_bytes, 0u);
  const std::uint64_t effective = sixg::mem::effective_available_bytes();
  EXPECT_GT(effective, 0u);
  EXPECT_LE(effective, status.system.total_bytes);
}

}  // namespace
