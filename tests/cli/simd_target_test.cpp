// SIXG_SIMD (the SIMD kernel target, sixg/phy/simd/kernel_target.h) as a user meets it: a bad value is
// bad input (exit 2, naming the variable and its values), and the target changes speed, never a result:
// the same simulation gives identical counts with the baseline and the AVX2 kernels (a moving TDL channel
// with LS estimation and LDPC, and the flat Rayleigh chain with perfect CSI, cover every dispatched kernel).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sixg/phy/simd/kernel_target.h"
#include "support/run_command.h"

using nlohmann::json;
using sixg::test::run_sixg;
namespace simd = sixg::phy::simd;

namespace {

json simulate_with(const std::string& target, const std::vector<std::string>& scenario) {
  const std::string path = "/tmp/sixg_simd_" + std::to_string(::getpid()) + "_" + target + ".json";
  std::vector<std::string> args{"simulate",     "--ebno", "-4,0,4", "--max-frames", "6",
                                "--batch-size", "3",      "--json", path,           "--quiet"};
  args.insert(args.end(), scenario.begin(), scenario.end());
  const auto r = run_sixg(args, {"env", "SIXG_SIMD=" + target});
  EXPECT_EQ(r.exit_code, 0) << "SIXG_SIMD=" << target << ": " << r.err;
  std::ifstream in(path);
  json doc = json::parse(in, nullptr, /*allow_exceptions=*/false);
  std::remove(path.c_str());
  return doc;
}

void expect_same_counts_on_both_targets(const std::vector<std::string>& scenario) {
  if (!simd::target_available(simd::KernelTarget::avx2)) GTEST_SKIP() << "this CPU has no AVX2";
  const json baseline = simulate_with("baseline", scenario), avx2 = simulate_with("avx2", scenario);
  ASSERT_TRUE(baseline.is_object() && avx2.is_object());
  EXPECT_EQ(avx2["kernel_isa"], "avx2");
  if (simd::avx2_copy_built()) {
    EXPECT_EQ(baseline["kernel_isa"], "sse2");
  }
  ASSERT_EQ(baseline["points"].size(), 3u);
  ASSERT_EQ(avx2["points"].size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    for (const char* key : {"bit_errors", "num_bits", "block_errors", "num_blocks"}) {
      EXPECT_EQ(baseline["points"][i][key], avx2["points"][i][key]) << key << " at point " << i;
    }
  }
  // The points must see errors, or equal counts would prove little.
  EXPECT_GT(baseline["points"][0]["bit_errors"].get<long>(), 0);
}

}  // namespace

TEST(SimdTarget, BadValueIsBadInputNamingTheVariable) {
  const auto r = run_sixg({"memory"}, {"env", "SIXG_SIMD=avx9"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("SIXG_SIMD"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("auto, baseline, avx2"), std::string::npos) << r.err;
}

TEST(SimdTarget, AutoAndBaselineAreAccepted) {
  for (const char* value : {"SIXG_SIMD=auto", "SIXG_SIMD=baseline", "SIXG_SIMD="}) {
    EXPECT_EQ(run_sixg({"memory", "--json"}, {"env", value}).exit_code, 0) << value;
  }
}

TEST(SimdTarget, MovingTdlWithLsAndLdpcGivesTheSameCountsOnBothTargets) {
  expect_same_counts_on_both_targets({"--num-bs-ant", "8", "--num-ut", "2", "--num-ut-ant", "2", "--fft-size", "72",
                                      "--channel", "tdl-c", "--speed", "30", "--csi", "ls", "--code", "ldpc"});
}

TEST(SimdTarget, FlatRayleighWithPerfectCsiGivesTheSameCountsOnBothTargets) {
  expect_same_counts_on_both_targets({"--num-bs-ant", "8", "--num-ut", "2", "--num-ut-ant", "2", "--fft-size", "72",
                                      "--channel", "rayleigh", "--csi", "perfect", "--code", "none"});
}
