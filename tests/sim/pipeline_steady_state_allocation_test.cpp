// Steady state allocates nothing (issue 7): after the first batch, LinkPipeline::process_frames must
// not allocate, neither from the memory resource it was given (counted by the statistics adaptor,
// which is how a run's budget sees it) nor from the process heap (counted by replacing malloc, which
// also catches std::vector, std::function and Eigen temporaries the adaptor cannot see). An
// allocation per batch would fragment the budgeted pool and cost time on every frame.
#include <gtest/gtest.h>

#include <memory_resource>
#include <vector>

#include "sixg/mem/statistics_resource.h"
#include "sixg/sim/link_pipeline.h"
#include "support/heap_counter.h"

namespace {

using sixg::sim::Scenario;

struct Case {
  const char* name;
  Scenario scenario;
};

std::vector<Case> cases() {
  std::vector<Case> out;
  // Small FFTs keep the sanitizer run short; every code path is the same as at the seed's 512.
  Scenario coded;
  coded.fft_size = 256;
  out.push_back({"default coded LS TDL-C", coded});
  Scenario flat;
  flat.code = sixg::sim::CodeKind::none;
  flat.csi = sixg::sim::CsiKind::perfect;
  flat.channel = sixg::sim::ChannelKind::rayleigh;
  flat.pilot_symbols.clear();
  flat.fft_size = 128;
  out.push_back({"uncoded Rayleigh perfect CSI", flat});
  Scenario mobile;
  mobile.csi = sixg::sim::CsiKind::perfect;
  mobile.speed = 30.0;
  mobile.detector = sixg::sim::DetectorKind::zf;
  mobile.fft_size = 128;
  out.push_back({"mobile TDL-C perfect CSI ZF", mobile});
  Scenario linear;
  linear.interpolation = sixg::sim::InterpolationKind::linear;
  linear.detector = sixg::sim::DetectorKind::mrc;
  linear.demapper = sixg::sim::DemapKind::app;
  linear.fft_size = 128;
  out.push_back({"LS linear MRC APP", linear});
  return out;
}

TEST(PipelineSteadyState, NoAllocationAfterTheFirstBatch) {
  for (const auto& c : cases()) {
    SCOPED_TRACE(c.name);
    sixg::mem::statistics_resource stats(std::pmr::new_delete_resource());
    constexpr int kBatch = 2;
    sixg::sim::LinkPipeline pipeline(c.scenario, 7, kBatch, 2, &stats);
    std::vector<sixg::sim::ErrorCounts> counts(kBatch);
    pipeline.process_frames(0, 0.0, 0, counts);  // first batch: anything lazy happens here
    const auto resource_allocations = stats.total_allocations();
    EXPECT_GT(resource_allocations, 0u) << "the tensors come from the resource";
    const long heap = sixg::test::heap_allocations_during([&] {
      for (int batch = 1; batch <= 3; ++batch) {
        // Another Eb/N0 point and frame range, and a partial batch.
        pipeline.process_frames(batch, -2.0 + batch, static_cast<std::uint64_t>(batch * kBatch),
                                std::span(counts).first(batch == 3 ? 1 : kBatch));
      }
    });
    EXPECT_EQ(stats.total_allocations(), resource_allocations);
    if (sixg::test::heap_counting_available()) {
      EXPECT_EQ(heap, 0);
    }
    EXPECT_GT(counts[0].num_bits, 0u);
  }
}

TEST(PipelineSteadyState, TheHeapCounterCounts) {
  if (!sixg::test::heap_counting_available()) GTEST_SKIP() << "sanitizers replace malloc themselves";
  // Without this the test above could pass with a counter that never counts.
  std::vector<int>* volatile escape = nullptr;
  const long n = sixg::test::heap_allocations_during([&] {
    auto* v = new std::vector<int>(100);
    escape = v;
    delete escape;
  });
  EXPECT_GE(n, 2);
}

}  // namespace
