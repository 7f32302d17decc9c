// The runtime SIMD dispatch is only safe if AVX code cannot run on a CPU without AVX: in a portable
// build, every instruction that needs AVX (VEX-encoded vector instructions) must sit in a function of an
// `avx2` kernel namespace (src/phy/simd/for_each_kernel_target.h), which runs only after the CPU check.
// A shared inline function first compiled inside the AVX2 target region, and then picked by the linker
// for baseline callers, would break that silently on the machines this build is for. This test
// disassembles the sixg executable (where the linker made those choices) and the phy library, and also
// checks that every kernel source really has an AVX2 copy that uses 256-bit registers.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <string>

#include "sixg/phy/simd/kernel_target.h"

namespace {

struct Scan {
  bool objdump_ran = false;
  std::set<std::string> avx_outside;            // functions outside avx2 namespaces that use AVX
  std::map<std::string, int> ymm_by_namespace;  // kernel namespace -> ymm instructions in its avx2 copy
};

Scan scan(const std::string& binary) {
  Scan result;
  const std::string command = "objdump -d --no-show-raw-insn -C '" + binary + "' 2>/dev/null";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) return result;
  const std::regex function_line(R"(^[0-9a-f]+ <(.*)>:$)");
  const std::regex vex(R"(\tv[a-z0-9]+\s.*%[xy]mm|\tvzero)");  // VEX-encoded vector instruction
  const std::regex kernel_namespace(R"(sixg::phy::(\w+)::avx2::)");
  std::string function, line;
  char buffer[8192];
  std::smatch m;
  while (std::fgets(buffer, sizeof buffer, pipe.get()) != nullptr) {
    result.objdump_ran = true;
    line = buffer;
    if (!line.empty() && line.back() == '\n') line.pop_back();
    if (std::regex_match(line, m, function_line)) {
      function = m[1];
      continue;
    }
    if (line.find("\tv") == std::string::npos || !std::regex_search(line, vex)) continue;
    if (std::regex_search(function, m, kernel_namespace)) {
      if (line.find("%ymm") != std::string::npos) ++result.ymm_by_namespace[m[1]];
    } else {
      result.avx_outside.insert(function);
    }
  }
  return result;
}

void expect_avx_only_in_avx2_copies(const char* binary) {
#if defined(__AVX__)
  GTEST_SKIP() << "native build: AVX is the baseline of the whole build";
#endif
  if (!sixg::phy::simd::avx2_copy_built()) GTEST_SKIP() << "no separate AVX2 kernel copy in this build";
  const Scan s = scan(binary);
  if (!s.objdump_ran) GTEST_SKIP() << "objdump (binutils) is not available to disassemble " << binary;
  std::string names;
  for (const auto& f : s.avx_outside) names += "\n  " + f;
  EXPECT_TRUE(s.avx_outside.empty()) << binary << ": AVX instructions outside the avx2 kernel copies in" << names;
  // Each dispatching kernel source's AVX2 copy exists and uses 256-bit vectors.
  for (const char* ns : {"ldpc_fixed", "ldpc_decoder_kernels", "random_kernels", "tdl_kernels", "apply_kernels",
                         "ls_kernels", "batch_detection", "linear_filter_kernels"}) {
    const auto it = s.ymm_by_namespace.find(ns);
    EXPECT_TRUE(it != s.ymm_by_namespace.end() && it->second > 0) << binary << ": no AVX2 code in " << ns << "::avx2";
  }
}

}  // namespace

TEST(SimdKernelCopies, ExecutableRunsAvxOnlyInsideAvx2Copies) { expect_avx_only_in_avx2_copies(SIXG_BINARY); }

TEST(SimdKernelCopies, PhyLibraryHasAvxOnlyInsideAvx2Copies) { expect_avx_only_in_avx2_copies(SIXG_PHY_LIBRARY); }
