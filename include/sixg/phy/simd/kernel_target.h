// Which instruction set the hot kernels run with, chosen at run time (runtime SIMD dispatch).
//
// The hand-written kernels (Philox normals, TDL response, channel application, LS estimation, the
// batched detector, LDPC min-sum) are compiled twice on x86-64 with GCC: once with the build's own
// flags ("baseline": plain x86-64, SSE2, in a portable build) and once for AVX2 (src/phy/simd/
// for_each_kernel_target.h). Every call picks one copy, so one portable binary runs everywhere and uses
// AVX2 where the CPU has it. Both copies compute the same operations in the same order with no fused
// multiply-add (neither target enables FMA), so every result is bit-identical whichever copy runs:
// choosing a target changes speed, never a number (tests/phy/simd_kernel_target_test.cpp).
//
// A native build (-march=native on an AVX2 machine) already compiles the baseline copy for AVX2; it
// builds no second copy and both targets name the same code.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sixg::phy::simd {

enum class KernelTarget { baseline, avx2 };

/// "baseline" or "avx2".
std::string_view target_name(KernelTarget target);

/// Parses "baseline" or "avx2"; nullopt for anything else.
std::optional<KernelTarget> parse_target(std::string_view name);

/// Whether this build and this CPU can run the target's kernels.
bool target_available(KernelTarget target);

/// Whether this build holds a separately compiled AVX2 copy of the kernels (portable x86-64 GCC builds).
/// Without one, both targets run the same code (the build's own flags).
bool avx2_copy_built();

/// The target the kernels use now: at start the best available one.
KernelTarget active_target();

/// Selects the target for every later kernel call (all threads). Throws std::invalid_argument when
/// the target is not available. Not meant to change while kernels run on other threads.
void select_target(KernelTarget target);

/// Applies the SIXG_SIMD environment variable: unset, empty or "auto" selects the best available
/// target (overriding an earlier select_target); "baseline" or "avx2" selects that one. Throws
/// std::invalid_argument naming the variable (and its allowed values) for anything else, or when the
/// named target is not available here.
void select_target_from_environment();

/// The instruction set the active kernels execute, for reports: "avx2" (the AVX2 copy, or a build whose
/// own flags include AVX2 — also when they go beyond it, e.g. AVX-512), "sse2" (an x86-64 build below
/// AVX2 running its baseline copy), or "generic" (another architecture: compiler-chosen vector code).
std::string kernel_isa();

}  // namespace sixg::phy::simd
