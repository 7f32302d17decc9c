// Result files: JSON (DESIGN §4 "simulate" object) and CSV, written atomically (temp file + rename),
// and read back for --resume.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "sixg/sim/results.h"
#include "sixg/sim/run_config.h"
#include "sixg/sim/scenario.h"

namespace sixg::sim {

/// The `config` object: every option, keys are the option names with '_' for '-'.
nlohmann::json scenario_to_json(const Scenario& scenario);
nlohmann::json run_config_to_json(const RunConfig& run);
nlohmann::json points_to_json(const SweepResult& result);

/// Reads the "points" of a JSON written by `sixg simulate --json` (for --resume). Throws
/// std::runtime_error with a message on malformed input.
SweepResult points_from_json(const nlohmann::json& doc);

/// CSV with one row per point and the JSON point keys as header.
std::string points_to_csv(const SweepResult& result);

/// Writes `content` to `path` atomically: a temp file in the same directory, fsync, rename.
/// Throws std::runtime_error naming the path on failure.
void write_file_atomically(const std::string& path, const std::string& content);

}  // namespace sixg::sim
