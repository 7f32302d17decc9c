// "Same answer at any batch size": the error counts of a sweep are bit-identical whatever the batch
// size (1, a prime, more than the frame count) and thread count, including a block-error target that
// stops a point in the middle of a batch (DESIGN §3).
#include <gtest/gtest.h>

#include <memory_resource>

#include "sixg/sim/link_pipeline.h"
#include "sixg/sim/runner.h"

using namespace sixg::sim;

namespace {

Scenario small_scenario(CodeKind code, ChannelKind channel = ChannelKind::tdl_c, CsiKind csi = CsiKind::ls) {
  Scenario s;
  s.num_bs_ant = 8;
  s.num_ut = 2;
  s.num_ut_ant = 2;
  s.fft_size = 32;
  s.num_ofdm_symbols = 14;
  s.code = code;
  s.channel = channel;
  s.csi = csi;
  s.detector = DetectorKind::lmmse;
  return s;
}

SweepResult sweep(const Scenario& s, int batch, int threads) {
  RunConfig run;
  run.ebno_db = {-2.0, 2.0, 6.0};
  run.max_frames = 23;
  run.target_block_errors = 9;  // reached in the middle of a batch at the low Eb/N0
  run.batch_size = batch;
  run.threads = threads;
  run.seed = 7;
  LinkPipeline pipeline(s, run.seed, batch, threads, std::pmr::new_delete_resource());
  return run_sweep(pipeline, run);
}

void expect_identical(const SweepResult& a, const SweepResult& b, const std::string& what) {
  ASSERT_EQ(a.points.size(), b.points.size());
  for (std::size_t i = 0; i < a.points.size(); ++i) {
    EXPECT_EQ(a.points[i].counts, b.points[i].counts) << what << ", point " << i;
    EXPECT_EQ(a.points[i].num_frames, b.points[i].num_frames) << what << ", point " << i;
    EXPECT_EQ(a.points[i].status, b.points[i].status) << what << ", point " << i;
  }
}

}  // namespace

TEST(BatchInvariance, UncodedCountsIdenticalForAnyBatchAndThreadCount) {
  const Scenario s = small_scenario(CodeKind::none);
  const SweepResult reference = sweep(s, 1, 1);
  EXPECT_EQ(reference.points[0].status, PointStatus::reached_target_block_errors);
  EXPECT_LT(reference.points[0].num_frames, 23u);
  for (auto [batch, threads] : {std::pair{7, 1}, {50, 1}, {1, 2}, {7, 2}, {50, 2}}) {
    expect_identical(reference, sweep(s, batch, threads),
                     "batch " + std::to_string(batch) + ", threads " + std::to_string(threads));
  }
}

TEST(BatchInvariance, CodedCountsIdenticalForAnyBatchAndThreadCount) {
  const Scenario s = small_scenario(CodeKind::ldpc);
  const SweepResult reference = sweep(s, 1, 1);
  for (auto [batch, threads] : {std::pair{7, 2}, {50, 1}}) {
    expect_identical(reference, sweep(s, batch, threads),
                     "batch " + std::to_string(batch) + ", threads " + std::to_string(threads));
  }
}

// Frequency-flat channels take their own paths: the channel tensor holds one [R, S] matrix per frame,
// applied as a matrix product, and with perfect CSI one LinearFilter per frame.
TEST(BatchInvariance, FlatChannelCountsIdenticalForAnyBatchAndThreadCount) {
  for (const CsiKind csi : {CsiKind::perfect, CsiKind::ls}) {
    const Scenario s = small_scenario(CodeKind::none, ChannelKind::rayleigh, csi);
    const SweepResult reference = sweep(s, 1, 1);
    for (auto [batch, threads] : {std::pair{7, 2}, {50, 1}}) {
      expect_identical(reference, sweep(s, batch, threads),
                       std::string(csi == CsiKind::ls ? "ls" : "perfect") + ", batch " + std::to_string(batch) +
                           ", threads " + std::to_string(threads));
    }
  }
}
