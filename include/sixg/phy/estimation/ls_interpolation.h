// LsInterpolation: how an LS estimate reaches every subcarrier from the pilots' LS values (the frequency
// interpolation of LsChannelEstimator), as per-(stream, subcarrier) tables. The batched detector reads
// them to expand the LS values itself while staging a block (ChannelGroupView::ls), so the pipeline
// never writes the [A, S, P, F] estimate.
#pragma once

#include <cstdint>

namespace sixg::phy {

/// Stream s's estimate at subcarrier k of the LS row `ls` (one antenna, one pilot symbol) is, per real and
/// imaginary part, weight0[s * F + k] * ls[source0[s * F + k]] + weight1[s * F + k] * ls[source1[s * F + k]]:
/// the operations LsChannelEstimator::estimate() rounds, in its order (F = FFT size).
struct LsInterpolation {
  const float* weight0 = nullptr;
  const float* weight1 = nullptr;
  const std::int32_t* source0 = nullptr;
  const std::int32_t* source1 = nullptr;
};

}  // namespace sixg::phy
