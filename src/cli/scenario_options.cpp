#include "scenario_options.h"

#include <fmt/core.h>
#include <fmt/format.h>
#include <unistd.h>

#include <array>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <thread>
#include <utility>

#include "sixg/phy/modulation_names.h"

namespace sixg::cli {

using phy::invalid_config;
using namespace sixg::sim;

namespace {

template <class E, std::size_t N>
E lookup(const std::array<std::pair<std::string_view, E>, N>& table, const std::string& value, const char* option) {
  for (const auto& [name, e] : table) {
    if (name == value) return e;
  }
  std::string allowed;
  for (const auto& [name, e] : table) allowed += (allowed.empty() ? "" : ", ") + std::string(name);
  throw invalid_config(option, fmt::format("{}: '{}' is not one of: {}", option, value, allowed));
}

double parse_double(std::string_view text, const char* option, const std::string& whole) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  double v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size() || !std::isfinite(v)) {
    throw invalid_config(option, fmt::format("{}: '{}' is not a number list; use A:STEP:B (e.g. -4:1:4) or a,b,c (dB)",
                                             option, whole));
  }
  return v;
}

std::vector<int> parse_pilot_symbols(const std::string& text) {
  if (text == "none") return {};
  std::vector<int> out;
  std::string_view rest = text;
  while (true) {
    const auto comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    int v = 0;
    auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
    if (item.empty() || ec != std::errc{} || ptr != item.data() + item.size()) {
      throw invalid_config("--pilot-symbols",
                           fmt::format("--pilot-symbols: '{}' is not a comma list of OFDM symbol indices (e.g. 2,11) or 'none'", text));
    }
    out.push_back(v);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace

std::vector<double> parse_ebno_list(const std::string& text) {
  const char* option = "--ebno";
  std::vector<double> out;
  if (text.find(':') != std::string::npos) {
    const auto c1 = text.find(':');
    const auto c2 = text.find(':', c1 + 1);
    if (c2 == std::string::npos || text.find(':', c2 + 1) != std::string::npos) {
      throw invalid_config(option, fmt::format("--ebno: '{}' must be A:STEP:B (e.g. -4:1:4) or a,b,c (dB)", text));
    }
    const double a = parse_double(std::string_view(text).substr(0, c1), option, text);
    const double step = parse_double(std::string_view(text).substr(c1 + 1, c2 - c1 - 1), option, text);
    const double b = parse_double(std::string_view(text).substr(c2 + 1), option, text);
    if (!(step > 0) || b < a) {
      throw invalid_config(option, fmt::format("--ebno: '{}' needs STEP > 0 and B >= A", text));
    }
    const auto n = static_cast<long>(std::floor((b - a) / step + 1e-9)) + 1;
    if (n > 10000) throw invalid_config(option, "--ebno: more than 10000 points");
    for (long i = 0; i < n; ++i) out.push_back(a + static_cast<double>(i) * step);
  } else {
    std::string_view rest = text;
    while (true) {
      const auto comma = rest.find(',');
      out.push_back(parse_double(rest.substr(0, comma), option, text));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  for (double& v : out) v = std::round(v * 1e9) / 1e9;  // 0.1 steps print as 0.1, not 0.30000000000000004
  return out;
}

void add_scenario_options(CLI::App& app, ScenarioOptionValues& v) {
  auto& s = v.numeric;
  const char* g = "Scenario";
  app.add_option("--num-bs-ant", s.num_bs_ant, "BS receive antennas")->capture_default_str()->group(g);
  app.add_option("--num-ut", s.num_ut, "user terminals")->capture_default_str()->group(g);
  app.add_option("--num-ut-ant", s.num_ut_ant, "antennas (= streams) per UT")->capture_default_str()->group(g);
  app.add_option("--fft-size", s.fft_size, "subcarriers")->capture_default_str()->group(g);
  app.add_option("--num-ofdm-symbols", s.num_ofdm_symbols, "OFDM symbols per slot")->capture_default_str()->group(g);
  app.add_option("--subcarrier-spacing", s.subcarrier_spacing, "Hz")->capture_default_str()->group(g);
  app.add_option("--cp-length", s.cp_length, "cyclic prefix, samples")->capture_default_str()->group(g);
  app.add_option("--pilot-symbols", v.pilot_symbols, "pilot OFDM symbols: comma list or 'none'")->capture_default_str()->group(g);
  app.add_option("--modulation", v.modulation, "qpsk|16qam|64qam|256qam|1024qam")->capture_default_str()->group(g);
  app.add_option("--code", v.code, "ldpc|none")->capture_default_str()->group(g);
  app.add_option("--coderate", s.coderate, "LDPC code rate in (0, 1)")->capture_default_str()->group(g);
  app.add_option("--ldpc-iterations", s.ldpc_iterations, "LDPC decoder iterations")->capture_default_str()->group(g);
  app.add_option("--ldpc-check-update", v.ldpc_check_update, "nms (normalised min-sum)|oms (offset min-sum)|spa (sum-product)")
      ->capture_default_str()->group(g);
  app.add_option("--channel", v.channel, "awgn|rayleigh|tdl-a..tdl-e|cdl-a..cdl-e")->capture_default_str()->group(g);
  app.add_option("--delay-spread", s.delay_spread, "s (TDL)")->capture_default_str()->group(g);
  app.add_option("--speed", s.speed, "m/s (Doppler)")->capture_default_str()->group(g);
  app.add_option("--carrier-frequency", s.carrier_frequency, "Hz")->capture_default_str()->group(g);
  app.add_option("--csi", v.csi, "perfect|ls")->capture_default_str()->group(g);
  app.add_option("--interpolation", v.interpolation, "nn|lin (LS channel estimate)")->capture_default_str()->group(g);
  app.add_option("--detector", v.detector, "lmmse|zf|mrc")->capture_default_str()->group(g);
  app.add_option("--demapper", v.demapper, "max-log|app")->capture_default_str()->group(g);
}

void add_run_options(CLI::App& app, RunOptionValues& v) {
  const char* g = "Run";
  app.add_option("--ebno", v.ebno, "Eb/N0 points in dB: A:STEP:B or a,b,c")->capture_default_str()->group(g);
  app.add_option("--batch-size", v.batch_size,
                 "frames per batch: N, or auto (the largest the budget holds); default 2 per worker thread")
      ->group(g);
  app.add_option("--max-frames", v.max_frames, "frames per Eb/N0 point at most")->capture_default_str()->group(g);
  app.add_option("--target-block-errors", v.target_block_errors, "stop a point after this many block errors")
      ->capture_default_str()->group(g);
  app.add_option("--target-bit-errors", v.target_bit_errors, "stop a point after this many bit errors")->group(g);
  app.add_option("--target-bler", v.target_bler, "end the sweep after the first point with BLER below this")->group(g);
  app.add_flag("--early-stop", v.early_stop, "end the sweep at the first point without errors")->group(g);
  app.add_option("--seed", v.seed, "random seed")->capture_default_str()->group(g);
  app.add_option("--threads", v.threads, "worker threads (default: all cores)")->group(g);
}

void add_output_options(CLI::App& app, OutputOptionValues& v) {
  const char* g = "Output";
  app.add_option("--json", v.json_path, "write results as JSON (atomically)")->group(g);
  app.add_option("--csv", v.csv_path, "write results as CSV (atomically)")->group(g);
  app.add_flag("--quiet", v.quiet, "no progress table")->group(g);
}

Scenario build_scenario(const ScenarioOptionValues& v) {
  Scenario s = v.numeric;
  s.pilot_symbols = parse_pilot_symbols(v.pilot_symbols);
  static constexpr std::array<std::pair<std::string_view, phy::Modulation>, 5> kModulations{{
      {"qpsk", phy::Modulation::qpsk},
      {"16qam", phy::Modulation::qam16},
      {"64qam", phy::Modulation::qam64},
      {"256qam", phy::Modulation::qam256},
      {"1024qam", phy::Modulation::qam1024},
  }};
  s.modulation = lookup(kModulations, v.modulation, "--modulation");
  static constexpr std::array<std::pair<std::string_view, CodeKind>, 2> kCodes{{{"ldpc", CodeKind::ldpc}, {"none", CodeKind::none}}};
  s.code = lookup(kCodes, v.code, "--code");
  if (v.channel.rfind("cdl-", 0) == 0 && v.channel.size() == 5 && v.channel[4] >= 'a' && v.channel[4] <= 'e') {
    throw invalid_config("--channel", fmt::format("--channel: {} is not yet available (CDL models need antenna arrays); "
                                                  "use awgn, rayleigh or tdl-a..tdl-e", v.channel));
  }
  static constexpr std::array<std::pair<std::string_view, ChannelKind>, 7> kChannels{{
      {"awgn", ChannelKind::awgn},
      {"rayleigh", ChannelKind::rayleigh},
      {"tdl-a", ChannelKind::tdl_a},
      {"tdl-b", ChannelKind::tdl_b},
      {"tdl-c", ChannelKind::tdl_c},
      {"tdl-d", ChannelKind::tdl_d},
      {"tdl-e", ChannelKind::tdl_e},
  }};
  s.channel = lookup(kChannels, v.channel, "--channel");
  static constexpr std::array<std::pair<std::string_view, CsiKind>, 2> kCsi{{{"perfect", CsiKind::perfect}, {"ls", CsiKind::ls}}};
  s.csi = lookup(kCsi, v.csi, "--csi");
  static constexpr std::array<std::pair<std::string_view, InterpolationKind>, 2> kInterp{
      {{"nn", InterpolationKind::nearest}, {"lin", InterpolationKind::linear}}};
  s.interpolation = lookup(kInterp, v.interpolation, "--interpolation");
  static constexpr std::array<std::pair<std::string_view, DetectorKind>, 3> kDetectors{
      {{"lmmse", DetectorKind::lmmse}, {"zf", DetectorKind::zf}, {"mrc", DetectorKind::mrc}}};
  s.detector = lookup(kDetectors, v.detector, "--detector");
  static constexpr std::array<std::pair<std::string_view, DemapKind>, 2> kDemap{{{"max-log", DemapKind::max_log}, {"app", DemapKind::app}}};
  s.demapper = lookup(kDemap, v.demapper, "--demapper");
  static constexpr std::array<std::pair<std::string_view, CheckUpdate>, 3> kCheck{{{"nms", CheckUpdate::normalized_min_sum},
                                                                                  {"oms", CheckUpdate::offset_min_sum},
                                                                                  {"spa", CheckUpdate::sum_product}}};
  s.ldpc_check_update = lookup(kCheck, v.ldpc_check_update, "--ldpc-check-update");
  s.validate();
  return s;
}

RunConfig build_run_config(const RunOptionValues& v, bool* batch_size_auto) {
  RunConfig r;
  r.ebno_db = parse_ebno_list(v.ebno);
  if (batch_size_auto) *batch_size_auto = false;
  if (v.threads && (*v.threads < 1 || *v.threads > 1024)) {
    throw invalid_config("--threads", "--threads: must be an integer in [1, 1024] (default: all cores)");
  }
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  r.threads = v.threads.value_or(cores);
  if (!v.batch_size) {
    // Small batches are the fast ones on a CPU (each frame's tensors stay in cache; bench/RESULTS.md,
    // throughput vs batch size), and two frames per thread keep every worker busy.
    // (Never more than --max-frames: a batch's tensors are allocated whole.)
    r.batch_size = static_cast<int>(std::min<std::int64_t>(std::int64_t{kFramesPerThread} * r.threads,
                                                           std::max<std::int64_t>(1, v.max_frames)));
  } else if (*v.batch_size == "auto") {
    if (!batch_size_auto) throw invalid_config("--batch-size", "--batch-size: 'auto' is not available here; give a number");
    *batch_size_auto = true;
    r.batch_size = 0;
  } else {
    int b = 0;
    const std::string& text = *v.batch_size;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), b);
    if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size() || b < 1 || b > 1'000'000) {
      throw invalid_config("--batch-size",
                           fmt::format("--batch-size: '{}' must be 'auto' or an integer in [1, 1000000]", text));
    }
    r.batch_size = b;
  }
  if (v.max_frames < 1) throw invalid_config("--max-frames", "--max-frames: must be at least 1");
  r.max_frames = static_cast<std::uint64_t>(v.max_frames);
  if (v.target_block_errors && *v.target_block_errors < 1) {
    throw invalid_config("--target-block-errors", "--target-block-errors: must be at least 1");
  }
  if (v.target_bit_errors && *v.target_bit_errors < 1) {
    throw invalid_config("--target-bit-errors", "--target-bit-errors: must be at least 1");
  }
  if (v.target_bler && !(*v.target_bler > 0 && *v.target_bler < 1)) {
    throw invalid_config("--target-bler", "--target-bler: must be in (0, 1)");
  }
  if (v.target_block_errors) r.target_block_errors = static_cast<std::uint64_t>(*v.target_block_errors);
  if (v.target_bit_errors) r.target_bit_errors = static_cast<std::uint64_t>(*v.target_bit_errors);
  r.target_bler = v.target_bler;
  r.early_stop = v.early_stop;
  if (v.seed < 0) throw invalid_config("--seed", "--seed: must be an integer >= 0");
  r.seed = static_cast<std::uint64_t>(v.seed);
  return r;
}

void check_output_path(const std::string& path, const char* option) {
  if (path.empty()) return;
  namespace fs = std::filesystem;
  const fs::path p(path);
  const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw invalid_config(option, fmt::format("{}: directory '{}' does not exist", option, dir.string()));
  }
  if (fs::is_directory(p, ec)) throw invalid_config(option, fmt::format("{}: '{}' is a directory", option, path));
  if (::access(dir.c_str(), W_OK) != 0) {
    throw invalid_config(option, fmt::format("{}: directory '{}' is not writable", option, dir.string()));
  }
}

}  // namespace sixg::cli
