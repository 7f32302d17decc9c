#include "sixg/mem/memory_monitor.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <memory_resource>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "sixg/mem/statistics_resource.h"

namespace {

using sixg::mem::MemoryMonitor;
using sixg::mem::statistics_resource;

constexpr std::uint64_t kMiB = std::uint64_t{1} << 20;

struct Lines {
  std::vector<std::string> lines;
  MemoryMonitor::Sink sink() {
    return [this](std::string_view line) { lines.emplace_back(line); };
  }
};

TEST(MemoryMonitor, ReportsTheTensorPeakOfItsOwnScope) {
  statistics_resource stats(std::pmr::new_delete_resource());
  stats.deallocate(stats.allocate(8 * kMiB), 8 * kMiB);  // an older, higher peak: not this scope's
  void* base = stats.allocate(kMiB);
  Lines out;
  void* kept = nullptr;
  {
    MemoryMonitor monitor("Simulation", &stats, out.sink());
    stats.deallocate(stats.allocate(3 * kMiB), 3 * kMiB);
    kept = stats.allocate(kMiB);
    const auto open = monitor.report();
    EXPECT_EQ(open.tensors_peak_bytes, 4 * kMiB);  // 1 MiB live at entry + 3 MiB
    EXPECT_EQ(open.tensors_current_bytes, 2 * kMiB);
    EXPECT_TRUE(out.lines.empty()) << "nothing is printed before the scope ends";
  }
  ASSERT_EQ(out.lines.size(), 1u);
  const std::string& line = out.lines[0];
  EXPECT_EQ(line.rfind("[memory] Simulation: RSS ", 0), 0u) << line;
  EXPECT_NE(line.find(", peak RSS "), std::string::npos) << line;
  EXPECT_NE(line.find(", tensors peak 4.00 MiB (current 2.00 MiB)"), std::string::npos) << line;
  EXPECT_EQ(stats.peak_bytes(), 8 * kMiB) << "the monitor resets nothing";
  EXPECT_THROW((void)stats.pop_scope(1), std::invalid_argument) << "its scope was closed";
  stats.deallocate(kept, kMiB);
  stats.deallocate(base, kMiB);
}

TEST(MemoryMonitor, MeasuresRssGrowthInsideTheScope) {
  constexpr std::size_t kBytes = 32 * kMiB;
  MemoryMonitor monitor("touch", nullptr, nullptr);
  std::vector<char> block(kBytes);
  std::memset(block.data(), 1, block.size());
  const auto report = monitor.stop();
  EXPECT_GT(report.rss_entry_bytes, 0u);
  EXPECT_GE(static_cast<double>(report.rss_exit_bytes) - static_cast<double>(report.rss_entry_bytes), 0.9 * kBytes);
  EXPECT_GE(report.peak_rss_bytes, report.rss_exit_bytes);
  EXPECT_FALSE(report.tensors_peak_bytes.has_value()) << "no statistics resource was given";
  EXPECT_EQ(sixg::mem::format_memory_scope(report).find("tensors"), std::string::npos);
}

TEST(MemoryMonitor, NestedMonitorsIndentByDepthAndPrintInnerFirst) {
  Lines out;
  {
    MemoryMonitor outer("outer", nullptr, out.sink());
    EXPECT_EQ(outer.depth(), 0);
    {
      MemoryMonitor inner("inner", nullptr, out.sink());
      EXPECT_EQ(inner.depth(), 1);
    }
    MemoryMonitor sibling("sibling", nullptr, out.sink());
    EXPECT_EQ(sibling.depth(), 1) << "depth goes back down when a scope ends";
  }
  ASSERT_EQ(out.lines.size(), 3u);
  EXPECT_EQ(out.lines[0].rfind("  [memory] inner: ", 0), 0u) << out.lines[0];
  EXPECT_EQ(out.lines[1].rfind("  [memory] sibling: ", 0), 0u) << out.lines[1];
  EXPECT_EQ(out.lines[2].rfind("[memory] outer: ", 0), 0u) << out.lines[2];
  MemoryMonitor after("after", nullptr, nullptr);
  EXPECT_EQ(after.depth(), 0);
}

TEST(MemoryMonitor, DepthIsCountedPerThread) {
  MemoryMonitor main_scope("main", nullptr, nullptr);
  int other_depth = -1;
  std::thread([&other_depth] {
    MemoryMonitor worker("worker", nullptr, nullptr);
    other_depth = worker.depth();
  }).join();
  EXPECT_EQ(other_depth, 0);
}

TEST(MemoryMonitor, StopReportsOnceAndFreezesTheNumbers) {
  statistics_resource stats(std::pmr::new_delete_resource());
  Lines out;
  MemoryMonitor monitor("once", &stats, out.sink());
  void* p = stats.allocate(kMiB);
  const auto final_report = monitor.stop();
  stats.deallocate(p, kMiB);
  void* later = stats.allocate(5 * kMiB);  // after the scope ended: not its business
  EXPECT_EQ(monitor.stop().tensors_peak_bytes, kMiB);
  EXPECT_EQ(monitor.report().tensors_current_bytes, final_report.tensors_current_bytes);
  stats.deallocate(later, 5 * kMiB);
  EXPECT_EQ(out.lines.size(), 1u);
}

}  // namespace
