// The order in which a layer's pass 2 visits one circulant block (private to src/phy/ldpc), shared by
// the float32 and the fixed16 min-sum kernels: the checks [k, k + kLanes) of the layer meet the
// column's lanes at p = (s + k) mod z. Columns are stored with their first kLanes lanes mirrored after
// lane z, so a vector that reads across the wrap or starts in the mirror needs the careful `general`
// step; every other vector is a `plain` one at p = k + offset. Both kernels keep their own arithmetic;
// only the walk is common, so a change to the wrap handling applies to both.
#pragma once

#include <algorithm>

namespace sixg::phy::ldpc_walk {

/// plain(from, to, offset): vectors k in [from, to) step kLanes at p = k + offset, no wrap inside.
/// general(k): the vector at k, wrapping and partial (the last one when kLanes does not divide z).
// Always inlined: the kernels calling it are compiled per SIMD target (src/phy/simd), and their lambdas
// can only be inlined once this shared template sits inside the target's function.
template <int kLanes, class Plain, class General>
[[gnu::always_inline]] inline void shifted_block(int z, int s, Plain&& plain, General&& general) {
  const int full = z / kLanes * kLanes;  // vectors [k, k + kLanes) with k < full hold real checks only
  // Before the wrap: vectors [0, end_a) at p = s + k; the first one may touch the mirrored lanes.
  const int end_a = std::min(full, (z - s) / kLanes * kLanes);
  int k = 0;
  if (k < end_a && s < kLanes) {
    general(k);
    k += kLanes;
  }
  plain(k, end_a, s);
  k = std::max(k, end_a);
  // The vector that wraps (if any) and the first one after it (p < kLanes: mirrored lanes).
  if (k < full && s + k < z) {
    general(k);
    k += kLanes;
  }
  if (k < full) {
    general(k);
    k += kLanes;
  }
  plain(k, full, s - z);
  k = std::max(k, full);
  if (k < z) general(k);  // partial last vector
}

}  // namespace sixg::phy::ldpc_walk
