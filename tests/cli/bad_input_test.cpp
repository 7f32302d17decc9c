// Every option's bad values exit 2 with a message that names the option (DESIGN §4), before any
// long work starts.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "support/run_command.h"

using sixg::test::run_sixg;

namespace {

struct BadCase {
  std::vector<std::string> args;
  std::string option;  // must appear in the message
};

void expect_bad_input(const std::string& command, const BadCase& c) {
  std::vector<std::string> args{command};
  args.insert(args.end(), c.args.begin(), c.args.end());
  const auto r = run_sixg(args);
  std::string joined;
  for (const auto& a : c.args) joined += a + " ";
  EXPECT_EQ(r.exit_code, 2) << command << " " << joined << "\nstderr: " << r.err;
  EXPECT_NE(r.err.find(c.option), std::string::npos) << command << " " << joined << "\nstderr: " << r.err;
}

const std::vector<BadCase> kScenarioCases = {
    {{"--num-bs-ant", "0"}, "--num-bs-ant"},
    {{"--num-bs-ant", "-4"}, "--num-bs-ant"},
    {{"--num-bs-ant", "many"}, "--num-bs-ant"},
    {{"--num-ut", "0"}, "--num-ut"},
    {{"--num-ut-ant", "0"}, "--num-ut-ant"},
    {{"--fft-size", "0"}, "--fft-size"},
    {{"--fft-size", "100"}, "--fft-size"},  // not a multiple of the 16 streams (Kronecker pilots)
    {{"--num-ofdm-symbols", "0"}, "--num-ofdm-symbols"},
    {{"--subcarrier-spacing", "-30e3"}, "--subcarrier-spacing"},
    {{"--cp-length", "-1"}, "--cp-length"},
    {{"--pilot-symbols", "2,99"}, "--pilot-symbols"},
    {{"--pilot-symbols", "two"}, "--pilot-symbols"},
    {{"--modulation", "8psk"}, "--modulation"},
    {{"--code", "turbo"}, "--code"},
    {{"--coderate", "0"}, "--coderate"},
    {{"--coderate", "1.5"}, "--coderate"},
    {{"--ldpc-iterations", "0"}, "--ldpc-iterations"},
    {{"--ldpc-check-update", "bp"}, "--ldpc-check-update"},
    {{"--channel", "umi"}, "--channel"},
    {{"--channel", "cdl-a"}, "--channel"},
    {{"--delay-spread", "-1e-9"}, "--delay-spread"},
    {{"--speed", "-3"}, "--speed"},
    {{"--carrier-frequency", "0"}, "--carrier-frequency"},
    {{"--csi", "genie"}, "--csi"},
    {{"--interpolation", "cubic"}, "--interpolation"},
    {{"--detector", "ml"}, "--detector"},
    {{"--demapper", "exact"}, "--demapper"},
    {{"--detector", "zf", "--num-bs-ant", "8"}, "--num-bs-ant"},  // ZF with fewer antennas than streams
    {{"--channel", "awgn", "--num-bs-ant", "8"}, "--num-bs-ant"},
};

}  // namespace

TEST(BadInput, ScenarioOptionsOfEverySubcommand) {
  for (const char* command : {"simulate", "estimate", "plan"}) {
    for (const auto& c : kScenarioCases) {
      BadCase with_batch = c;
      if (std::string(command) == "estimate") with_batch.args.insert(with_batch.args.end(), {"--batch-size", "1"});
      expect_bad_input(command, with_batch);
    }
  }
}

TEST(BadInput, RunBudgetAndOutputOptions) {
  const std::vector<BadCase> cases = {
      {{"--ebno", "low"}, "--ebno"},
      {{"--ebno", "5:1:0"}, "--ebno"},
      {{"--ebno", "0:0:4"}, "--ebno"},
      {{"--ebno", "1,,2"}, "--ebno"},
      {{"--batch-size", "0"}, "--batch-size"},
      {{"--batch-size", "-3"}, "--batch-size"},
      {{"--batch-size", "lots"}, "--batch-size"},
      {{"--max-frames", "0"}, "--max-frames"},
      {{"--max-frames", "-1"}, "--max-frames"},
      {{"--target-block-errors", "0"}, "--target-block-errors"},
      {{"--target-bit-errors", "0"}, "--target-bit-errors"},
      {{"--target-bler", "0"}, "--target-bler"},
      {{"--target-bler", "2"}, "--target-bler"},
      {{"--seed", "x"}, "--seed"},
      {{"--threads", "0"}, "--threads"},
      {{"--threads", "-2"}, "--threads"},
      {{"--memory-limit", "12parsecs"}, "--memory-limit"},
      {{"--memory-limit", "0"}, "--memory-limit"},
      {{"--memory-fraction", "0"}, "--memory-fraction"},
      {{"--memory-fraction", "1.5"}, "--memory-fraction"},
      {{"--release-every", "0"}, "--release-every"},
      {{"--json", "/nonexistent-dir/out.json"}, "--json"},
      {{"--csv", "/nonexistent-dir/out.csv"}, "--csv"},
      {{"--json", "/"}, "--json"},
      {{"--config", "/nonexistent-dir/run.toml"}, "--config"},
      {{"--resume", "/nonexistent-dir/out.json"}, "--resume"},
      {{"--no-such-option", "1"}, "--no-such-option"},
  };
  for (const auto& c : cases) expect_bad_input("simulate", c);
  expect_bad_input("estimate", {{"--batch-size", "0"}, "--batch-size"});
  expect_bad_input("plan", {{"--memory-fraction", "-1"}, "--memory-fraction"});
}

TEST(BadInput, ConfigFileErrorsNameFileLineAndKey) {
  const std::string path = "/tmp/sixg_bad_config_" + std::to_string(::getpid()) + ".toml";
  auto write = [&](const std::string& text) { std::ofstream(path) << text; };

  write("num_bs_ant = 32\nnot_an_option = 3\n");
  auto r = run_sixg({"simulate", "--config", path});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("line 2"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("not_an_option"), std::string::npos) << r.err;

  write("num_bs_ant = [[[\n");
  r = run_sixg({"simulate", "--config", path});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(path), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("line 1"), std::string::npos) << r.err;

  write("# a comment\nmodulation = \"8psk\"\n");
  r = run_sixg({"simulate", "--config", path});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--modulation"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("line 2"), std::string::npos) << r.err;
  std::remove(path.c_str());
}
