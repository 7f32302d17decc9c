// add_awgn: adds circularly-symmetric complex Gaussian noise CN(0, n0) (n0/2 per real dimension) to
// every element of y, in place. Draws 2 * y.size() normals from `rng` in element order, so the noise
// of element i does not depend on how y is split; allocates nothing (4 KiB stack scratch).
#pragma once

#include <span>

#include "sixg/phy/random/random_stream.h"
#include "sixg/phy/types.h"

namespace sixg::phy {

/// Throws std::invalid_argument for n0 < 0 or not finite. n0 == 0 leaves y as it is.
void add_awgn(RandomStream& rng, std::span<cf32> y, float n0);

}  // namespace sixg::phy
