// The runner's stopping rules, on a fake frame processor whose per-frame errors are a pure function
// of (point, frame): totals must not depend on the batch size, and each rule must stop exactly at the
// first frame where it holds (DESIGN §3).
#include "sixg/sim/runner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <vector>

#include "sixg/phy/random/random_stream.h"

using namespace sixg::sim;

namespace {

class FakeProcessor : public FrameProcessor {
 public:
  explicit FakeProcessor(int batch) : batch_(batch) {}
  void process_frames(int snr_index, double, std::uint64_t first_frame, std::span<ErrorCounts> out) override {
    ++calls;
    frames_processed += out.size();
    sizes.push_back(out.size());
    for (std::size_t i = 0; i < out.size(); ++i) {
      sixg::phy::RandomStream rng(1, static_cast<std::uint32_t>(snr_index), first_frame + i,
                                  sixg::phy::RandomPurpose::test);
      // Error probability falls with the point index; point 3 never errs.
      const std::uint32_t u = rng.next_u32() % 100;
      const bool error = snr_index < 3 && u < static_cast<std::uint32_t>(60 - 20 * snr_index);
      out[i] = {.bit_errors = error ? 1 + rng.next_u32() % 7 : 0, .num_bits = 100,
                .block_errors = error ? 1u : 0u, .num_blocks = 2};
    }
    if (stop_after_calls && calls >= stop_after_calls) interrupt.store(true);
  }
  int max_batch() const override { return batch_; }
  std::uint64_t info_bits_per_frame() const override { return 100; }
  int parallelism() const override { return parallelism_; }

  int batch_;
  int parallelism_ = 1;
  int calls = 0;
  std::uint64_t frames_processed = 0;
  std::vector<std::size_t> sizes;  // of every call
  int stop_after_calls = 0;
  std::atomic<bool> interrupt{false};
};

RunConfig base_config() {
  RunConfig c;
  c.ebno_db = {0, 1, 2, 3, 4};
  c.max_frames = 200;
  return c;
}

void expect_same_counts(const SweepResult& a, const SweepResult& b) {
  ASSERT_EQ(a.points.size(), b.points.size());
  for (std::size_t i = 0; i < a.points.size(); ++i) {
    EXPECT_EQ(a.points[i].counts, b.points[i].counts) << "point " << i;
    EXPECT_EQ(a.points[i].num_frames, b.points[i].num_frames) << "point " << i;
    EXPECT_EQ(a.points[i].status, b.points[i].status) << "point " << i;
  }
}

}  // namespace

TEST(Runner, TotalsDoNotDependOnBatchSizeWithEveryStoppingRule) {
  RunConfig config = base_config();
  config.target_block_errors = 37;
  config.target_bit_errors = 150;
  config.early_stop = true;
  FakeProcessor one(1);
  const SweepResult reference = run_sweep(one, config);
  for (int batch : {2, 7, 13, 64, 1000}) {
    FakeProcessor p(batch);
    expect_same_counts(reference, run_sweep(p, config));
  }
}

TEST(Runner, BlockErrorTargetStopsAtTheFirstFrameThatReachesIt) {
  RunConfig config = base_config();
  config.target_block_errors = 10;
  FakeProcessor p(64);
  const SweepResult r = run_sweep(p, config);
  EXPECT_EQ(r.points[0].counts.block_errors, 10u);
  EXPECT_EQ(r.points[0].status, PointStatus::reached_target_block_errors);
  EXPECT_LT(r.points[0].num_frames, 64u);  // stopped inside the first batch
  EXPECT_EQ(r.points[0].counts.num_blocks, 2 * r.points[0].num_frames);
}

TEST(Runner, MaxFramesCountsFramesNotBatches) {
  RunConfig config = base_config();
  config.max_frames = 23;
  FakeProcessor p(10);
  const SweepResult r = run_sweep(p, config);
  for (const auto& point : r.points) {
    EXPECT_EQ(point.num_frames, 23u);
    EXPECT_EQ(point.status, PointStatus::reached_max_frames);
  }
  EXPECT_EQ(p.calls, 5 * 3);  // 10 + 10 + 3 frames per point
}

TEST(Runner, EarlyStopEndsTheSweepAtTheFirstErrorFreePoint) {
  RunConfig config = base_config();
  config.early_stop = true;
  FakeProcessor p(16);
  const SweepResult r = run_sweep(p, config);
  EXPECT_EQ(r.points[3].status, PointStatus::no_errors_early_stop);
  EXPECT_EQ(r.points[4].status, PointStatus::skipped);
  EXPECT_EQ(r.points[4].num_frames, 0u);
}

TEST(Runner, TargetBlerEndsTheSweepAfterTheFirstPointBelowIt) {
  RunConfig config = base_config();
  config.target_bler = 0.15;  // BLER per point is about 0.3, 0.2, 0.1 (half the frame error rate)
  FakeProcessor p(16);
  const SweepResult r = run_sweep(p, config);
  std::size_t first_below = 0;
  while (r.points[first_below].bler() >= 0.15) ++first_below;
  EXPECT_EQ(r.points[first_below].status, PointStatus::target_bler_reached);
  for (std::size_t i = first_below + 1; i < r.points.size(); ++i) EXPECT_EQ(r.points[i].status, PointStatus::skipped);
}

TEST(Runner, InterruptThenResumeGivesTheUninterruptedTotals) {
  RunConfig config = base_config();
  config.target_block_errors = 40;
  FakeProcessor full(8);
  const SweepResult reference = run_sweep(full, config);

  FakeProcessor first(8);
  first.stop_after_calls = 9;
  RunnerHooks hooks;
  hooks.interrupt = &first.interrupt;
  const SweepResult partial = run_sweep(first, config, hooks);
  ASSERT_TRUE(partial.interrupted);

  FakeProcessor second(5);  // a different batch size on resume changes nothing
  const SweepResult resumed = run_sweep(second, config, {}, &partial);
  EXPECT_FALSE(resumed.interrupted);
  expect_same_counts(reference, resumed);
}

TEST(Runner, ResumeWithMoreFramesContinuesFinishedPoints) {
  RunConfig short_run = base_config();
  short_run.max_frames = 50;
  FakeProcessor a(8);
  const SweepResult first = run_sweep(a, short_run);
  RunConfig long_run = base_config();
  FakeProcessor b(8), c(8);
  expect_same_counts(run_sweep(b, long_run), run_sweep(c, long_run, {}, &first));
}

TEST(Runner, ShortensBatchesNearAnErrorTargetWithoutChangingTheTotals) {
  // A batch is cut at the first frame that meets a target; the runner sizes batches to the frames the
  // target is predicted to need, so it computes far fewer frames that are then thrown away.
  RunConfig config = base_config();
  config.target_block_errors = 37;
  FakeProcessor one(1);
  const SweepResult reference = run_sweep(one, config);
  FakeProcessor p(64);
  p.parallelism_ = 4;
  const SweepResult r = run_sweep(p, config);
  expect_same_counts(reference, r);
  std::uint64_t counted = 0, full_batches = 0;
  for (const auto& point : r.points) {
    counted += point.num_frames;
    full_batches += std::min<std::uint64_t>((point.num_frames + 63) / 64 * 64, config.max_frames);
  }
  // Fixed batches of 64 would compute full_batches frames; the first batch of point 0 is a full one
  // either way (nothing is known yet).
  EXPECT_LT(p.frames_processed - counted, (full_batches - counted) / 2)
      << "computed " << p.frames_processed << " frames for " << counted << " counted";
  // Shortened batches keep every worker busy: a multiple of the parallelism, unless capped by the batch
  // capacity or by the frames left before max_frames (with max_frames = 200, such a last batch here is 8
  // frames at the error-free points, or fewer than 4).
  for (const std::size_t size : p.sizes) {
    EXPECT_TRUE(size % 4 == 0 || size == 64 || size < 4) << size;
  }
}

TEST(Runner, AnErrorTargetTooLargeToReachKeepsFullBatches) {
  // A target given only to switch it off (2^63 - 1) predicts more frames than an integer holds: the
  // prediction must not wrap into tiny batches.
  RunConfig config = base_config();
  config.target_block_errors = std::uint64_t{9223372036854775807u};
  config.max_frames = 128;
  FakeProcessor p(64);
  p.parallelism_ = 4;
  run_sweep(p, config);
  for (const std::size_t size : p.sizes) EXPECT_EQ(size, 64u);
}
