// The runtime SIMD dispatch is only safe if AVX code cannot run on a CPU without AVX: in a portable
// build, every instruction that needs AVX (VEX-encoded vector instructions) must sit in a function of an
// `avx2` kernel namespace (src/phy/simd/for_each_kernel_target.h), which runs only after the CPU check.
// A shared inline function first compiled inside the AVX2 target region, and then picked by the linker
// for baseline callers, would break that silently on the machines this build is for. This test
// disassembles the sixg executable (where the linker made those choices) and the phy library, and also
// checks that every kernel source really has an AVX2 copy that uses 256-bit registers, and that no AVX2
// kernel calls a function compiled for the default target with 32-byte vectors in its signature (the two
// sides would pass the vector under different calling conventions: std::bit_cast did so in unoptimised
// builds; such calls must be inlined helpers, intrinsics or functions of the same copy).
#include <gtest/gtest.h>

#include <cctype>
#include <map>
#include <set>
#include <string>

#include "sixg/phy/simd/kernel_target.h"
#include "support/disassembly.h"

namespace {

struct Scan {
  bool objdump_ran = false;
  std::set<std::string> avx_outside;            // functions outside avx2 namespaces that use AVX
  std::map<std::string, int> ymm_by_namespace;  // kernel namespace -> ymm instructions in its avx2 copy
  std::set<std::string> vector_calls_out;       // "caller -> callee": avx2 kernel calls an outside vector function
};

// Plain string matching, not std::regex: the disassembly has millions of lines, and the test also runs
// in unoptimised and sanitizer builds.
bool is_function_line(const std::string& line) {  // "0000000000001234 <name>:"
  return !line.empty() && std::isxdigit(static_cast<unsigned char>(line[0])) && line.size() > 2 &&
         line.compare(line.size() - 2, 2, ">:") == 0 && line.find(" <") != std::string::npos;
}

/// "sixg::phy::NAME::avx2::..." -> NAME; empty when the function is not in an avx2 kernel namespace.
std::string avx2_kernel_namespace(const std::string& function) {
  const std::size_t at = function.find("::avx2::");
  if (at == std::string::npos) return {};
  const std::size_t begin = function.rfind("::", at - 1);
  return begin == std::string::npos ? std::string{} : function.substr(begin + 2, at - begin - 2);
}

Scan scan(const std::string& binary) {
  Scan result;
  std::string function, kernel_namespace;
  result.objdump_ran = sixg::test::for_each_disassembly_line(binary, true, [&](const std::string& line) {
    if (is_function_line(line)) {
      function = line.substr(line.find(" <") + 2, line.size() - line.find(" <") - 4);
      kernel_namespace = avx2_kernel_namespace(function);
      return;
    }
    // Instruction lines: "  address:\tmnemonic operands".
    const std::size_t tab = line.find(":\t");
    if (tab == std::string::npos) return;
    const std::string instruction = line.substr(tab + 2);
    if (!kernel_namespace.empty() && instruction.rfind("call", 0) == 0) {
      const std::size_t open = instruction.find('<'), close = instruction.rfind('>');
      if (open != std::string::npos && close != std::string::npos && close > open) {
        const std::string callee = instruction.substr(open + 1, close - open - 1);
        if (callee.find("::avx2::") == std::string::npos && callee.find("__vector") != std::string::npos) {
          result.vector_calls_out.insert(function + " -> " + callee);
        }
      }
    }
    // VEX-encoded vector instructions: a v-mnemonic on xmm/ymm registers, or vzeroupper/vzeroall.
    const bool vex = instruction.rfind('v', 0) == 0 &&
                     (instruction.find("%xmm") != std::string::npos || instruction.find("%ymm") != std::string::npos ||
                      instruction.rfind("vzero", 0) == 0);
    if (!vex) return;
    if (kernel_namespace.empty()) {
      result.avx_outside.insert(function);
    } else if (instruction.find("%ymm") != std::string::npos) {
      ++result.ymm_by_namespace[kernel_namespace];
    }
  });
  return result;
}

// linked: call targets are resolved only in a linked executable (in an unlinked library's objects
// objdump labels a call with whatever symbol sits at the unrelocated offset), so calls are checked there.
void expect_avx_only_in_avx2_copies(const char* binary, bool linked) {
#if defined(__AVX__)
  GTEST_SKIP() << "native build: AVX is the baseline of the whole build";
#endif
  if (!sixg::phy::simd::avx2_copy_built()) GTEST_SKIP() << "no separate AVX2 kernel copy in this build";
  const Scan s = scan(binary);
  if (!s.objdump_ran) GTEST_SKIP() << "objdump (binutils) is not available to disassemble " << binary;
  std::string names;
  for (const auto& f : s.avx_outside) names += "\n  " + f;
  EXPECT_TRUE(s.avx_outside.empty()) << binary << ": AVX instructions outside the avx2 kernel copies in" << names;
  std::string calls;
  for (const auto& c : s.vector_calls_out) calls += "\n  " + c;
  EXPECT_TRUE(!linked || s.vector_calls_out.empty())
      << binary << ": AVX2 kernels call default-target functions that take or "
      << "return vectors:" << calls;
  // Each dispatching kernel source's AVX2 copy exists and uses 256-bit vectors.
  for (const char* ns : {"ldpc_fixed", "ldpc_decoder_kernels", "random_kernels", "tdl_kernels", "apply_kernels",
                         "ls_kernels", "batch_detection", "linear_filter_kernels"}) {
    const auto it = s.ymm_by_namespace.find(ns);
    EXPECT_TRUE(it != s.ymm_by_namespace.end() && it->second > 0) << binary << ": no AVX2 code in " << ns << "::avx2";
  }
}

}  // namespace

TEST(SimdKernelCopies, ExecutableRunsAvxOnlyInsideAvx2Copies) { expect_avx_only_in_avx2_copies(SIXG_BINARY, true); }

TEST(SimdKernelCopies, PhyLibraryHasAvxOnlyInsideAvx2Copies) {
  expect_avx_only_in_avx2_copies(SIXG_PHY_LIBRARY, false);
}
