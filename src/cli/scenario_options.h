// The scenario, run and output options of DESIGN §4, shared by `simulate`, `estimate` and `plan`.
// Options are first parsed as text/numbers by CLI11, then converted and validated in one place, so
// command line and config file (--config) go through the same checks and messages (exit 2 naming the
// option and what is allowed).
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

#include "sixg/sim/run_config.h"
#include "sixg/sim/scenario.h"

namespace sixg::cli {

/// Raw option values as typed by the user (before conversion).
struct ScenarioOptionValues {
  sixg::sim::Scenario numeric;  // integer and real options land here directly
  std::string pilot_symbols = "2,11";
  std::string modulation = "qpsk";
  std::string code = "ldpc";
  std::string channel = "tdl-c";
  std::string csi = "ls";
  std::string interpolation = "nn";
  std::string detector = "lmmse";
  std::string demapper = "max-log";
  std::string ldpc_check_update = "oms";
};

/// The default batch: this many frames per worker thread.
inline constexpr int kFramesPerThread = 2;

struct RunOptionValues {
  std::string ebno = "-13:0.5:-9";  // the seed scenario's waterfall (LS, LMMSE, LDPC 1/2)
  // Unset: kFramesPerThread frames per worker thread (bench/RESULTS.md: the fastest batch on 2 cores).
  std::optional<std::string> batch_size;
  // Signed on purpose: "-1" must be rejected, not wrapped to 2^64 - 1 by the parser.
  std::int64_t max_frames = 100;
  std::optional<std::int64_t> target_block_errors = 100;
  std::optional<std::int64_t> target_bit_errors;
  std::optional<double> target_bler;
  bool early_stop = false;
  std::int64_t seed = 42;
  std::optional<int> threads;  // default: all cores
};

struct OutputOptionValues {
  std::string json_path;
  std::string csv_path;
  bool quiet = false;
};

void add_scenario_options(CLI::App& app, ScenarioOptionValues& values);
void add_run_options(CLI::App& app, RunOptionValues& values);
void add_output_options(CLI::App& app, OutputOptionValues& values);

/// Converts and validates; throws phy::invalid_config naming the option.
sixg::sim::Scenario build_scenario(const ScenarioOptionValues& values);
/// `batch_size_auto` is set when --batch-size is "auto" (run.batch_size then holds 0).
sixg::sim::RunConfig build_run_config(const RunOptionValues& values, bool* batch_size_auto = nullptr);
/// Parses "A:STEP:B" (inclusive, like numpy.arange with the end point kept) or "a,b,c" in dB.
std::vector<double> parse_ebno_list(const std::string& text);

/// Checks that `path` can be written (directory exists and is writable) before a long run starts.
void check_output_path(const std::string& path, const char* option);

}  // namespace sixg::cli
