// Linked into every benchmark: applies SIXG_SIMD (auto|baseline|avx2) before main, as the sixg
// executable does, so one portable build can time both SIMD kernel targets
// (`SIXG_SIMD=baseline bench/end_to_end_bench`). A bad value stops the benchmark with exit code 2.
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "sixg/phy/simd/kernel_target.h"

namespace {

const bool kTargetSelected = [] {
  try {
    sixg::phy::simd::select_target_from_environment();
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    std::exit(2);
  }
  std::fprintf(stderr, "SIMD kernels: %s\n", sixg::phy::simd::kernel_isa().c_str());
  return true;
}();

}  // namespace
