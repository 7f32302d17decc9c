// add_awgn: adds circularly-symmetric complex Gaussian noise CN(0, n0) (n0/2 per real dimension) to
// every element of y (any shape, flattened; complex64), in place: y[i] += z[i] where z is what one
// rng.fill_complex_normal(z, n0) call over y.size() values would give. Normals continue across calls
// inside a Philox block, so the noise of element i depends neither on how y is split into calls nor
// on the internal chunk size. Allocates nothing (4 KiB stack scratch).
#pragma once

#include <span>

#include "sixg/phy/random/random_stream.h"
#include "sixg/phy/types.h"

namespace sixg::phy {

/// Throws std::invalid_argument for n0 < 0 or not finite. n0 == 0 leaves y as it is (and draws nothing).
void add_awgn(RandomStream& rng, std::span<cf32> y, float n0);

}  // namespace sixg::phy
