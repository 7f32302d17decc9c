#include "sixg/phy/simd/kernel_target.h"

#include <atomic>
#include <cstdlib>
#include <stdexcept>

#include "kernel_dispatch.h"

namespace sixg::phy::simd {
namespace {

bool cpu_has_avx2() {
#if defined(__x86_64__) && defined(__GNUC__)
  __builtin_cpu_init();  // may run before constructors that would otherwise set up the CPU model
  return __builtin_cpu_supports("avx2");
#else
  return false;
#endif
}

bool build_has_avx2() {
#if defined(__AVX2__)
  return true;
#else
  return false;
#endif
}

KernelTarget best_available() {
  return target_available(KernelTarget::avx2) ? KernelTarget::avx2 : KernelTarget::baseline;
}

std::atomic<KernelTarget>& selected() {
  static std::atomic<KernelTarget> target{best_available()};
  return target;
}

}  // namespace

std::string_view target_name(KernelTarget target) { return target == KernelTarget::avx2 ? "avx2" : "baseline"; }

std::optional<KernelTarget> parse_target(std::string_view name) {
  if (name == "baseline") return KernelTarget::baseline;
  if (name == "avx2") return KernelTarget::avx2;
  return std::nullopt;
}

bool target_available(KernelTarget target) {
  if (target == KernelTarget::baseline) return true;
  // A native AVX2 build runs AVX2 in its baseline copy (and could not start on a CPU without it).
  return build_has_avx2() || (SIXG_SIMD_AVX2_COPY && cpu_has_avx2());
}

KernelTarget active_target() { return selected().load(std::memory_order_relaxed); }

void select_target(KernelTarget target) {
  if (!target_available(target)) {
    throw std::invalid_argument("SIMD kernel target '" + std::string(target_name(target)) +
                                "' is not available on this CPU/build (available: baseline" +
                                (target_available(KernelTarget::avx2) ? ", avx2)" : ")"));
  }
  selected().store(target, std::memory_order_relaxed);
}

void select_target_from_environment() {
  const char* value = std::getenv("SIXG_SIMD");
  if (value == nullptr || *value == '\0' || std::string_view(value) == "auto") {
    select_target(best_available());
    return;
  }
  const std::optional<KernelTarget> target = parse_target(value);
  if (!target) {
    throw std::invalid_argument("SIXG_SIMD='" + std::string(value) +
                                "' is not a kernel target (allowed: auto, baseline, avx2)");
  }
  if (!target_available(*target)) {
    throw std::invalid_argument("SIXG_SIMD='" + std::string(value) + "': this CPU/build cannot run the " +
                                std::string(target_name(*target)) + " kernels (use auto or baseline)");
  }
  select_target(*target);
}

std::string kernel_isa() {
#if defined(__x86_64__)
  return active_target() == KernelTarget::avx2 || build_has_avx2() ? "avx2" : "sse2";
#else
  return "generic";
#endif
}

bool avx2_copy_built() { return SIXG_SIMD_AVX2_COPY; }

bool avx2_copy_selected() { return SIXG_SIMD_AVX2_COPY && active_target() == KernelTarget::avx2; }

}  // namespace sixg::phy::simd
