#include "ldpc_fixed_min_sum.h"
#include "ldpc_shifted_walk.h"

#include <algorithm>
#include <bit>
#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

// 32-byte vectors are passed only between inline functions of this file (see ldpc_decoder.cpp).
#pragma GCC diagnostic ignored "-Wpsabi"

#define SIXG_KERNELS "phy/ldpc/ldpc_fixed_min_sum_kernels.h"
#include "phy/simd/for_each_kernel_target.h"

namespace sixg::phy::ldpc_fixed {

void min_sum_layer(const LayerView& layer, const Correction& correction, bool first_iteration, std::int16_t* scratch) {
  SIXG_SIMD_DISPATCH(ldpc_fixed, min_sum_layer)(layer, correction, first_iteration, scratch);
}

std::int32_t corrected(std::int32_t m, const Correction& c) {
  std::int32_t x = std::min(m, 32767);
  if (c.offset_min_sum) {
    x = std::max(x - c.offset, 0);
  } else if (c.factor_q15 < 32768) {
    x = (x * c.factor_q15) >> 15;
  }
  return std::min<std::int32_t>(x, kFixedMaxMessage);
}

}  // namespace sixg::phy::ldpc_fixed
