// Process RSS and peak RSS: the /proc/<pid>/status parser on recorded and hand-made text, and the
// live reader against memory this test maps, touches and unmaps itself (mmap, not malloc, so that
// neither glibc's caching nor ASan's quarantine decides when pages go back to the kernel).
#include "sixg/mem/process_memory.h"

#include <gtest/gtest.h>
#include <sys/mman.h>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

using sixg::mem::parse_proc_status;

constexpr std::uint64_t kKiB = 1024;
constexpr std::uint64_t kMiB = kKiB << 10;

TEST(ParseProcStatus, ReadsRssAndPeakOfTheRecordedProcess) {
  // Recorded from a process that had touched 200 MiB and released it: VmHWM 218236 kB, VmRSS 13588 kB.
  std::ifstream in(std::filesystem::path(SIXG_TEST_DATA_DIR) / "proc/v1_unlimited/proc/self/status");
  std::stringstream text;
  text << in.rdbuf();
  const auto memory = parse_proc_status(text.str());
  ASSERT_TRUE(memory);
  EXPECT_EQ(memory->rss_bytes, 13588 * kKiB);
  EXPECT_EQ(memory->peak_rss_bytes, 218236 * kKiB);
}

TEST(ParseProcStatus, PeakIsNeverBelowRss) {
  const auto no_peak = parse_proc_status("Name:\tx\nVmRSS:\t  100 kB\n");
  ASSERT_TRUE(no_peak);
  EXPECT_EQ(no_peak->peak_rss_bytes, 100 * kKiB);
  const auto stale_peak = parse_proc_status("VmHWM:\t  50 kB\nVmRSS:\t  100 kB\n");
  ASSERT_TRUE(stale_peak);
  EXPECT_EQ(stale_peak->peak_rss_bytes, 100 * kKiB);
}

TEST(ParseProcStatus, RejectsMissingOrMalformedRss) {
  EXPECT_FALSE(parse_proc_status(""));
  EXPECT_FALSE(parse_proc_status("VmHWM:\t 100 kB\n"));
  EXPECT_FALSE(parse_proc_status("VmRSS:\t twelve kB\n"));
  EXPECT_FALSE(parse_proc_status("VmRSS:\t 12\n"));           // no unit: not a kernel status file
  EXPECT_FALSE(parse_proc_status("VmRSSx:\t 12 kB\n"));       // another key sharing the prefix
  EXPECT_FALSE(parse_proc_status("Name:\tVmRSS: 12 kB\n"));  // the key must start the line
}

TEST(ProcessMemoryLive, RssAndPeakFollowTouchedPages) {
  constexpr std::size_t kBytes = 64 * kMiB;
  const auto before = sixg::mem::read_process_memory();
  ASSERT_GT(before.rss_bytes, 0u);
  ASSERT_LE(before.rss_bytes, before.peak_rss_bytes);

  void* block = ::mmap(nullptr, kBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(block, MAP_FAILED);
  auto* bytes = static_cast<volatile unsigned char*>(block);
  for (std::size_t i = 0; i < kBytes; i += 4096) bytes[i] = 1;  // one write per page makes it resident
  const auto touched = sixg::mem::read_process_memory();
  ::munmap(block, kBytes);
  const auto released = sixg::mem::read_process_memory();

  // 4 MiB of slack: other allocations (gtest, the sanitizer runtime) move RSS a little, and the
  // kernel's RSS counters are per-CPU sums read without synchronisation (off by up to a few
  // hundred KiB), so even VmHWM and VmRSS of one reading need not agree to the page.
  EXPECT_GE(touched.rss_bytes, before.rss_bytes + kBytes - 4 * kMiB);
  EXPECT_GE(touched.peak_rss_bytes, touched.rss_bytes);
  EXPECT_LE(released.rss_bytes, touched.rss_bytes - kBytes + 4 * kMiB);
  EXPECT_GE(released.peak_rss_bytes + 4 * kMiB, touched.rss_bytes);  // the peak remembers

  if (!sixg::mem::reset_peak_rss()) GTEST_SKIP() << "kernel refuses writes to /proc/self/clear_refs";
  const auto reset = sixg::mem::read_process_memory();
  EXPECT_LE(reset.peak_rss_bytes, released.peak_rss_bytes - kBytes + 4 * kMiB);
  EXPECT_GE(reset.peak_rss_bytes, reset.rss_bytes);
}

}  // namespace
