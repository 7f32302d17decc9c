// Bit-identity across builds: the simulator's arithmetic is specified as separate multiplies and adds
// (-ffp-contract=off), so that a native (AVX2 + FMA) build and a portable one give the same bits.
// -ffp-contract=off does not cover everything: GCC 12 once turned a complex multiply-accumulate tail
// loop into vfmaddsub, and Eigen calls FMA intrinsics by itself; native builds therefore compile with
// -mno-fma (cmake/compiler_options.cmake). This test disassembles the phy and sim libraries and the
// sixg executable (where the linker chose among the objects' copies of inline code) and fails on any
// fused multiply-add instruction, naming the object and function. Portable builds are scanned too: their
// AVX2 kernel copies (src/phy/simd) are compiled for a target without FMA, and must stay so.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "support/disassembly.h"

namespace {

struct FmaReport {
  bool objdump_ran = false;
  int count = 0;
  std::string first;  // object, function and instruction of the first one
};

/// Whether a disassembled instruction line ("  addr:\tmnemonic operands") is a fused multiply-add:
/// vfmadd*, vfmsub*, vfnmadd*, vfnmsub* (FMA3, including vfmaddsub*/vfmsubadd*) and FMA4's vfmadd*ps.
/// (String matching, not std::regex: GCC 12's <regex> trips -Wmaybe-uninitialized in sanitizer builds.)
bool is_fma(const std::string& line) {
  const std::size_t tab = line.find(":\t");
  if (tab == std::string::npos) return false;
  const std::string_view mnemonic = std::string_view(line).substr(tab + 2);
  for (const std::string_view prefix : {"vfmadd", "vfmsub", "vfnmadd", "vfnmsub"}) {
    if (mnemonic.substr(0, prefix.size()) == prefix) return true;
  }
  return false;
}

FmaReport scan(const std::string& library) {
  FmaReport report;
  std::string object, function;
  report.objdump_ran = sixg::test::for_each_disassembly_line(library, false, [&](const std::string& line) {
    if (line.find("file format") != std::string::npos) object = line.substr(0, line.find(':'));
    if (line.size() > 1 && line.back() == ':' && line.find('<') != std::string::npos) function = line;
    if (is_fma(line) && report.count++ == 0) report.first = object + " " + function + "\n" + line;
  });
  return report;
}

void expect_no_fma(const char* library) {
  const FmaReport report = scan(library);
  if (!report.objdump_ran) GTEST_SKIP() << "objdump (binutils) is not available to disassemble " << library;
  EXPECT_EQ(report.count, 0) << library << " contains " << report.count
                             << " fused multiply-add instructions; the first: " << report.first;
}

}  // namespace

TEST(NoFusedMultiplyAdd, PhyLibrary) { expect_no_fma(SIXG_PHY_LIBRARY); }

TEST(NoFusedMultiplyAdd, SimLibrary) { expect_no_fma(SIXG_SIM_LIBRARY); }

TEST(NoFusedMultiplyAdd, SixgExecutable) { expect_no_fma(SIXG_BINARY); }
