// The per-frame receiver calls (ResourceGrid::map/extract_data, LsChannelEstimator::estimate/channel_at,
// Detector::detect) must not touch the heap after construction: the pipeline calls them millions of
// times per run from several threads. This test counts every malloc/calloc/realloc/aligned allocation
// of the process (tests/support/heap_counter.h replaces malloc; Eigen and operator new both end there)
// while those calls run. Sanitizer builds replace malloc themselves, so the test is skipped there.
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cstddef>
#include <utility>
#include <vector>

#include "sixg/phy/detection/detector.h"
#include "sixg/phy/detection/linear_filter.h"
#include "sixg/phy/detection/subcarrier_batch_detector.h"
#include "sixg/phy/estimation/ls_channel_estimator.h"
#include "sixg/phy/estimation/time_interpolation.h"
#include "sixg/phy/grid/resource_grid.h"
#include "sixg/phy/random/random_stream.h"
#include "support/heap_counter.h"

using namespace sixg::phy;

namespace {

void* volatile sink = nullptr;  // keeps the compiler from eliding the allocations of the self-check

}  // namespace

class NoAllocation : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!sixg::test::heap_counting_available()) GTEST_SKIP() << "sanitizers replace malloc themselves";
  }
  template <class F>
  static long count(F&& body) {
    return sixg::test::heap_allocations_during(std::forward<F>(body));
  }
};

TEST_F(NoAllocation, TheCounterSeesVectorAndEigenAllocations) {
  // Without this the tests below could pass with a counter that never counts.
  EXPECT_GE(count([] {
              std::vector<int> v(100);
              sink = v.data();
              Eigen::MatrixXcf m(7, 9);
              sink = m.data();
            }),
            2);
}

TEST_F(NoAllocation, DetectorsAfterConstruction) {
  const int antennas = 32, streams = 16, columns = 23;  // > one internal chunk of any size
  RandomStream rng(1, 0, 0, RandomPurpose::test);
  Eigen::MatrixXcf h(antennas, streams), y(antennas, columns), x(streams, columns);
  rng.fill_complex_normal({h.data(), static_cast<std::size_t>(h.size())});
  rng.fill_complex_normal({y.data(), static_cast<std::size_t>(y.size())});
  std::vector<float> err(streams, 0.01f), post(streams);
  for (auto kind : {DetectorKind::mrc, DetectorKind::zf, DetectorKind::lmmse}) {
    const auto detector = make_detector(kind, antennas, streams);
    EXPECT_EQ(count([&] {
                for (int repeat = 0; repeat < 3; ++repeat) {
                  detector->detect(h, 0.1f, err, y, column_major_view(x.data(), streams, columns), post);
                  detector->detect(h, 0.1f, {}, y.leftCols(1), column_major_view(x.data(), streams, 1), post);
                  // A strided view into a larger array, as the pipeline passes.
                  detector->detect(h, 0.1f, err, matrix_view(y.data(), antennas, 4, 1, 2 * antennas),
                                   matrix_view(x.data(), streams, 4, 1, 2 * streams), post);
                }
              }),
              0)
        << "kind " << static_cast<int>(kind);
  }
}

TEST_F(NoAllocation, GridMappingAndLsEstimationAfterConstruction) {
  const GridConfig config{16, 512, 14, {2, 11}};
  const ResourceGrid grid(config, 1);
  const int antennas = 4;
  std::vector<cf32> data(static_cast<std::size_t>(16 * grid.num_data_res()));
  std::vector<cf32> tx(static_cast<std::size_t>(16 * 14 * 512));
  std::vector<cf32> y(static_cast<std::size_t>(antennas * 14 * 512));
  std::vector<cf32> y_data(static_cast<std::size_t>(antennas * grid.num_data_res()));
  for (auto kind : {InterpolationKind::nearest, InterpolationKind::linear}) {
    LsChannelEstimator estimator(config, grid.pilots(), antennas, kind);
    const TimeInterpolation time(config, kind);
    std::vector<cf32> h_hat(estimator.h_hat_size()), h(static_cast<std::size_t>(antennas * 16));
    std::vector<float> err_var(estimator.err_var_size()), err(16);
    EXPECT_EQ(count([&] {
                grid.map(data, tx);
                grid.extract_data(y, y_data);
                estimator.estimate(y, 0.1f, h_hat, err_var);
                for (const auto& group : time.groups()) {
                  estimator.channel_at(h_hat, err_var, group.combination, 100, h, err);
                }
              }),
              0);
  }
}

TEST_F(NoAllocation, BatchDetectorAndLinearFilterAfterConstruction) {
  const int antennas = 8, streams = 4, fft = 45, columns = 11;  // partial last block and column pass
  RandomStream rng(2, 0, 0, RandomPurpose::test);
  std::vector<cf32> h(static_cast<std::size_t>(antennas * streams * 2 * fft));
  std::vector<cf32> y(static_cast<std::size_t>(antennas * columns * fft));
  std::vector<cf32> x(static_cast<std::size_t>(streams * columns * fft));
  std::vector<float> err(static_cast<std::size_t>(streams * 2 * fft), 0.01f), nv(x.size());
  rng.fill_complex_normal(h);
  rng.fill_complex_normal(y);
  std::vector<std::ptrdiff_t> offsets(columns);
  for (int c = 0; c < columns; ++c) offsets[static_cast<std::size_t>(c)] = c * fft;
  ChannelGroupView g;
  g.h = h.data();
  g.ant_stride = streams * 2 * fft;
  g.stream_stride = 2 * fft;
  g.num_terms = 2;
  g.term_offset[1] = fft;
  g.weight[0] = g.weight[1] = 0.5f;
  g.err = err.data();
  g.err_stream_stride = 2 * fft;
  g.err_term_offset[1] = fft;
  g.n0 = 0.1f;
  g.y = y.data();
  g.y_ant_stride = columns * fft;
  g.y_column_offset = offsets;
  g.x_hat = x.data();
  g.nv = nv.data();
  g.x_stream_stride = columns * fft;
  g.x_column_offset = offsets;
  Eigen::MatrixXcf channel(antennas, streams);
  rng.fill_complex_normal({channel.data(), static_cast<std::size_t>(channel.size())});
  for (auto kind : {DetectorKind::mrc, DetectorKind::zf, DetectorKind::lmmse}) {
    SubcarrierBatchDetector detector(kind, antennas, streams, fft);
    LinearFilter filter(kind, antennas, streams);
    EXPECT_EQ(count([&] {
                detector.detect(g);
                filter.design(channel, 0.1f, {});
                filter.apply(y.data(), columns * fft, columns * fft - 3, x.data(), columns * fft);
              }),
              0)
        << "kind " << static_cast<int>(kind);
  }
}
