// The contract of estimate, plan and simulate outputs (DESIGN §4 JSON keys), exit 3 for a budget that
// cannot hold one frame, config files, and interrupt + resume.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/run_command.h"

using nlohmann::json;
using sixg::test::run_sixg;

namespace {

const std::vector<std::string> kSmall = {"--num-bs-ant", "8", "--num-ut", "2", "--num-ut-ant", "2", "--fft-size", "64"};

/// `command` with a small scenario, then `more`.
std::vector<std::string> small(const std::string& command, std::vector<std::string> more) {
  std::vector<std::string> args{command};
  args.insert(args.end(), kSmall.begin(), kSmall.end());
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

std::string temp_path(const std::string& name) { return "/tmp/sixg_" + std::to_string(::getpid()) + "_" + name; }

json read_json(const std::string& path) {
  std::ifstream in(path);
  return json::parse(in);
}

}  // namespace

TEST(Subcommands, EstimateJsonHasTheContractKeys) {
  const auto r = run_sixg({"estimate", "--batch-size", "4", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json doc = json::parse(r.out);
  for (const char* key : {"batch_size", "tensors", "peak_bytes", "seed_formula_bytes"}) EXPECT_TRUE(doc.contains(key)) << key;
  EXPECT_EQ(doc["batch_size"], 4);
  std::uint64_t sum = 0;
  for (const auto& t : doc["tensors"]) {
    for (const char* key : {"name", "shape", "dtype", "bytes", "phase"}) EXPECT_TRUE(t.contains(key)) << key;
    std::uint64_t elements = 1;
    for (const auto& d : t["shape"]) elements *= d.get<std::uint64_t>();
    EXPECT_EQ(t["shape"][0], 4) << "batch-first";
    const std::string dtype = t["dtype"];
    const std::uint64_t size = dtype == "complex64" ? 8 : dtype == "float32" ? 4 : dtype == "int16" ? 2 : 1;
    EXPECT_EQ(t["bytes"].get<std::uint64_t>(), elements * size) << t["name"];
    sum += t["bytes"].get<std::uint64_t>();
  }
  EXPECT_GE(doc["peak_bytes"].get<std::uint64_t>(), sum);
}

TEST(Subcommands, PlanFitsTheBudgetAndSaysWhatLimitsIt) {
  auto r = run_sixg({"plan", "--memory-limit", "256MiB", "--json", "--threads", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json doc = json::parse(r.out);
  for (const char* key : {"budget_bytes", "batch_size", "estimated_peak_bytes", "limited_by"}) EXPECT_TRUE(doc.contains(key));
  EXPECT_EQ(doc["limited_by"], "memory-limit");
  EXPECT_EQ(doc["budget_bytes"].get<std::uint64_t>(), static_cast<std::uint64_t>(0.8 * 256 * 1024 * 1024));
  EXPECT_LE(doc["estimated_peak_bytes"].get<std::uint64_t>(), doc["budget_bytes"].get<std::uint64_t>());
  EXPECT_GE(doc["batch_size"].get<int>(), 1);
  // One more frame would not fit: the plan is the largest batch.
  const int batch = doc["batch_size"];
  r = run_sixg({"estimate", "--batch-size", std::to_string(batch + 1), "--threads", "2", "--json"});
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_GT(json::parse(r.out)["peak_bytes"].get<std::uint64_t>(), doc["budget_bytes"].get<std::uint64_t>());

  r = run_sixg({"plan", "--max-frames", "3", "--json"});
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_EQ(json::parse(r.out)["limited_by"], "max-frames");
  EXPECT_EQ(json::parse(r.out)["batch_size"], 3);
}

TEST(Subcommands, BudgetTooSmallForOneFrameExitsThree) {
  for (const char* command : {"simulate", "plan"}) {
    const auto r = run_sixg({command, "--memory-limit", "4MiB"});
    EXPECT_EQ(r.exit_code, 3) << command << ": " << r.err << r.out;
    EXPECT_NE((r.err + r.out).find("MiB"), std::string::npos);
  }
}

TEST(Subcommands, SimulateWritesContractJsonAndCsvAtomically) {
  const std::string json_path = temp_path("out.json"), csv_path = temp_path("out.csv");
  const auto r = run_sixg(small("simulate", {"--ebno", "-5,0", "--max-frames", "3", "--batch-size", "2", "--json",
                                 json_path, "--csv", csv_path, "--quiet"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json doc = read_json(json_path);
  for (const char* key : {"version", "config", "memory", "points", "throughput_bits_per_s"}) EXPECT_TRUE(doc.contains(key)) << key;
  for (const char* key : {"budget_bytes", "batch_size", "estimated_peak_bytes", "measured_peak_bytes", "process_peak_rss_bytes"}) {
    EXPECT_TRUE(doc["memory"].contains(key)) << key;
  }
  for (const char* key : {"num_bs_ant", "fft_size", "modulation", "channel", "seed", "max_frames"}) {
    EXPECT_TRUE(doc["config"].contains(key)) << key;
  }
  ASSERT_EQ(doc["points"].size(), 2u);
  for (const auto& p : doc["points"]) {
    for (const char* key : {"ebno_db", "ber", "bler", "bit_errors", "num_bits", "block_errors", "num_blocks", "runtime_s",
                            "throughput_bits_per_s", "status"}) {
      EXPECT_TRUE(p.contains(key)) << key;
    }
    EXPECT_EQ(p["status"], "reached max frames");
  }
  std::ifstream csv(csv_path);
  std::string header;
  std::getline(csv, header);
  EXPECT_EQ(header.rfind("ebno_db,ber,bler", 0), 0u);
  for (const auto& entry : std::filesystem::directory_iterator("/tmp")) {
    EXPECT_EQ(entry.path().string().find(json_path + ".tmp"), std::string::npos) << "temp file left behind";
  }
  std::remove(json_path.c_str());
  std::remove(csv_path.c_str());
}

TEST(Subcommands, TheDefaultBatchIsTwoFramesPerWorkerThread) {
  for (const int threads : {1, 3}) {
    const std::string out = temp_path("default_batch.json");
    const auto r = run_sixg(small("simulate", {"--threads", std::to_string(threads), "--ebno", "0", "--max-frames", "8",
                                               "--json", out, "--quiet"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(read_json(out)["memory"]["batch_size"], 2 * threads);
    std::remove(out.c_str());
  }
  // ... but never more than --max-frames (a batch's tensors are allocated whole).
  const std::string out = temp_path("default_batch_capped.json");
  const auto r = run_sixg(small("simulate", {"--threads", "3", "--ebno", "0", "--max-frames", "1", "--json", out, "--quiet"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_json(out)["memory"]["batch_size"], 1);
  std::remove(out.c_str());
}

TEST(Subcommands, ConfigFileValuesApplyAndTheCommandLineWins) {
  const std::string config = temp_path("run.toml"), json_path = temp_path("cfg.json");
  std::ofstream(config) << "num_bs_ant = 8\nnum_ut = 2\nnum_ut_ant = 2\nfft_size = 64\nmodulation = \"16qam\"\n"
                           "ebno = [0, 3]\nmax_frames = 2\npilot_symbols = [2, 11]\n";
  const auto r = run_sixg({"simulate", "--config", config, "--modulation", "qpsk", "--json", json_path, "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json doc = read_json(json_path);
  EXPECT_EQ(doc["config"]["num_bs_ant"], 8);
  EXPECT_EQ(doc["config"]["modulation"], "qpsk");  // command line wins
  EXPECT_EQ(doc["points"].size(), 2u);
  EXPECT_EQ(doc["points"][0]["num_bits"].get<std::uint64_t>() > 0, true);
  std::remove(config.c_str());
  std::remove(json_path.c_str());
}

TEST(Subcommands, InterruptWritesPartialResultsAndResumeGivesTheUninterruptedCounts) {
  const std::string full = temp_path("full.json"), part = temp_path("part.json"), resumed = temp_path("resumed.json");
  const auto args = small("simulate", {"--ebno", "-2,0,2", "--max-frames", "2000", "--batch-size", "2",
                           "--target-block-errors", "40", "--threads", "1", "--quiet"});
  auto with = [&](std::vector<std::string> extra) {
    auto a = args;
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  };
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(run_sixg(with({"--json", full})).exit_code, 0);
  const double full_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // Interrupt a third of the way through (the run's length depends on the build and the machine).
  const auto interrupted = sixg::test::run_sixg_interrupted(with({"--json", part}), full_s / 3);
  ASSERT_EQ(interrupted.exit_code, 130) << interrupted.err;
  EXPECT_EQ(read_json(part)["status"], "interrupted");
  ASSERT_EQ(run_sixg(with({"--json", resumed, "--resume", part, "--batch-size", "3"})).exit_code, 0);
  const json a = read_json(full), b = read_json(resumed);
  ASSERT_EQ(a["points"].size(), b["points"].size());
  for (std::size_t i = 0; i < a["points"].size(); ++i) {
    for (const char* key : {"bit_errors", "num_bits", "block_errors", "num_blocks", "status"}) {
      EXPECT_EQ(a["points"][i][key], b["points"][i][key]) << key << " of point " << i;
    }
  }
  for (const auto& p : {full, part, resumed}) std::remove(p.c_str());
}
