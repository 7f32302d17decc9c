// `sixg simulate`: the memory-managed Eb/N0 sweep (DESIGN §2-§4).
//
// Order of work: check every input (exit 2 before any long work), print the memory status, size
// the batch to the budget (exit 3 if one frame cannot fit), allocate the pipeline through the
// allocator stack (halving on out_of_budget), run the sweep with periodic pool release, write the
// results atomically.
#include <fmt/core.h>

#include <atomic>
#include <cmath>
#include <csignal>
#include <fstream>
#include <memory>
#include <stdexcept>

#include "budget_options.h"
#include "cli_app.h"
#include "commands.h"
#include "progress_table.h"
#include "scenario_options.h"
#include "sixg/mem/byte_size.h"
#include "sixg/mem/memory_manager.h"
#include "sixg/mem/memory_monitor.h"
#include "sixg/mem/memory_report.h"
#include "sixg/mem/process_memory.h"
#include "sixg/mem/system_probe.h"
#include "sixg/phy/channel/tdl_profile.h"
#include "sixg/phy/estimation/pilot_spacing.h"
#include "sixg/phy/simd/kernel_target.h"
#include "sixg/sim/budgeted_pipeline.h"
#include "sixg/sim/memory_plan.h"
#include "sixg/sim/result_io.h"
#include "sixg/sim/runner.h"

namespace sixg::cli {
namespace {

std::atomic<bool> g_interrupted{false};
extern "C" void on_sigint(int) { g_interrupted.store(true); }

struct SimulateOptions {
  ScenarioOptionValues scenario;
  RunOptionValues run;
  BudgetOptionValues budget;
  OutputOptionValues output;
  std::string config_path;
  std::string resume_path;
};

/// Reads a result JSON of an earlier run for --resume and checks it was the same experiment.
sim::SweepResult load_resume(const std::string& path, const nlohmann::json& config) {
  std::ifstream in(path);
  if (!in) throw phy::invalid_config("--resume", fmt::format("--resume: cannot read '{}'", path));
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw phy::invalid_config("--resume", fmt::format("--resume: '{}' is not valid JSON: {}", path, e.what()));
  }
  // Everything that changes a frame's result must match; run-length options may differ.
  for (const auto& [key, value] : config.items()) {
    if (key == "max_frames" || key == "target_block_errors" || key == "target_bit_errors" || key == "target_bler" ||
        key == "early_stop" || key == "batch_size" || key == "threads" || key == "ebno") {
      continue;
    }
    if (!doc.contains("config") || !doc["config"].contains(key) || doc["config"][key] != value) {
      throw phy::invalid_config("--resume", fmt::format("--resume: '{}' was made with a different '{}' ({} here, {} there)",
                                                        path, key, value.dump(),
                                                        doc.contains("config") && doc["config"].contains(key)
                                                            ? doc["config"][key].dump()
                                                            : "missing"));
    }
  }
  sim::SweepResult earlier;
  try {
    earlier = sim::points_from_json(doc);
  } catch (const std::runtime_error& e) {
    throw phy::invalid_config("--resume", fmt::format("--resume: '{}': {}", path, e.what()));
  }
  // Points are continued by position, so the Eb/N0 values they share must be the same.
  const auto& ebno = config.at("ebno");
  for (std::size_t i = 0; i < earlier.points.size() && i < ebno.size(); ++i) {
    if (std::abs(earlier.points[i].ebno_db - ebno[i].get<double>()) > 1e-9) {
      throw phy::invalid_config("--resume", fmt::format("--resume: point {} of '{}' is at {} dB, this run's --ebno has {} dB",
                                                        i, path, earlier.points[i].ebno_db, ebno[i].get<double>()));
    }
  }
  return earlier;
}

int run_simulate(const SimulateOptions& o) {
  // 1. Every input is checked before any long work.
  const sim::Scenario scenario = build_scenario(o.scenario);
  bool batch_auto = false;
  sim::RunConfig run = build_run_config(o.run, &batch_auto);
  check_output_path(o.output.json_path, "--json");
  check_output_path(o.output.csv_path, "--csv");
  const mem::MemoryStatus status = mem::SystemProbe{}.status(false);
  const Budget budget = resolve_budget(o.budget, status);
  nlohmann::json config = sim::scenario_to_json(scenario);
  config.update(sim::run_config_to_json(run));
  std::optional<sim::SweepResult> resume;
  if (!o.resume_path.empty()) resume = load_resume(o.resume_path, config);
  const bool verbose = !o.output.quiet;
  auto log = [&](std::string_view line) {
    if (verbose) fmt::print(stderr, "{}\n", line);
  };

  // A channel longer than the pilot spacing resolves makes the LS estimate alias (DESIGN §3).
  if (scenario.csi == sim::CsiKind::ls && scenario.channel >= sim::ChannelKind::tdl_a) {
    const auto kind = static_cast<phy::ChannelModelKind>(static_cast<int>(phy::ChannelModelKind::tdl_a) +
                                                         (static_cast<int>(scenario.channel) -
                                                          static_cast<int>(sim::ChannelKind::tdl_a)));
    const auto profile = phy::tdl_profile(kind);
    double max_delay = 0;
    for (double d : profile.normalized_delays) max_delay = std::max(max_delay, d * scenario.delay_spread);
    const auto check = phy::check_pilot_spacing(max_delay, scenario.num_streams(), scenario.subcarrier_spacing);
    if (!check.resolved) fmt::print(stderr, "warning: {}\n", check.warning);
  }

  // 2. Memory status and the batch that fits the budget.
  const std::uint64_t baseline = mem::read_process_memory().rss_bytes;
  if (verbose) fmt::print(stderr, "{}", mem::format_memory_status(status));
  if (budget.limit_clamped) {
    log(fmt::format("Note: --memory-limit {} exceeds the effective available memory {}; the smaller one is used",
                    mem::format_bytes(*budget.memory_limit_bytes), mem::format_bytes(status.effective_available_bytes)));
  }
  const int max_batch = static_cast<int>(std::min<std::uint64_t>(run.max_frames, 1'000'000));
  const int requested = batch_auto ? max_batch : run.batch_size;
  const auto plan = sim::plan_batch(scenario, run.threads, budget.budget_bytes, budget.source, requested, baseline);
  if (plan.batch_size == 0) {
    throw sim::budget_too_small(
        fmt::format("one frame needs an estimated {} but the budget is {} ({:.0f} % of {}); raise --memory-limit or "
                    "--memory-fraction, or shrink the scenario",
                    mem::format_bytes(plan.estimate.peak_bytes()), mem::format_bytes(budget.budget_bytes),
                    o.budget.memory_fraction * 100, mem::format_bytes(budget.limit_base_bytes)),
        plan.estimate.peak_bytes(), budget.budget_bytes);
  }
  if (verbose) {
    fmt::print(stderr, "Memory Estimation:\n");
    fmt::print(stderr, "  - Requested batch size: {}\n", batch_auto ? std::string("auto") : std::to_string(requested));
    fmt::print(stderr, "  - Estimated memory per batch: {}\n",
               mem::format_mib(sim::estimate_memory(scenario, requested, run.threads, baseline).peak_bytes()));
    fmt::print(stderr, "  - Available memory: {}\n", mem::format_mib(budget.limit_base_bytes));
    fmt::print(stderr, "  - Budget ({:.0f} %): {}\n", o.budget.memory_fraction * 100, mem::format_mib(budget.budget_bytes));
    if (batch_auto) {
      fmt::print(stderr, "✓ Batch size {} chosen for the budget (limited by {})\n", plan.batch_size, plan.limited_by);
    } else if (plan.batch_size < requested) {
      fmt::print(stderr, "⚠ Batch size {} exceeds the budget: reduced to {}\n", requested, plan.batch_size);
    } else {
      fmt::print(stderr, "✓ Batch size {} is within memory limits\n", requested);
    }
  }
  run.batch_size = plan.batch_size;

  // 3. The allocator stack: tensors may take the budget less what the rest of the process needs.
  mem::MemoryConfig memory_config;
  memory_config.limit_bytes = budget.budget_bytes - std::min(budget.budget_bytes, plan.estimate.workspace_bytes + baseline);
  memory_config.allocation_warnings = !o.budget.no_allocation_warnings;
  memory_config.huge_pages = o.budget.huge_pages;
  mem::MemoryManager memory(memory_config, [] { return mem::effective_available_bytes(); },
                            [](std::string_view w) { fmt::print(stderr, "{}\n", w); });
  sim::BudgetedPipeline built =
      sim::build_pipeline_within_budget(scenario, run.seed, run.batch_size, run.threads, memory, log);
  run.batch_size = built.batch_size;
  const auto estimate = sim::estimate_memory(scenario, run.batch_size, run.threads, baseline);
  const std::uint64_t allocated = memory.statistics().current_bytes();
  log(fmt::format("Allocated {} of tensors for batch size {} (estimated {})", mem::format_bytes(allocated),
                  run.batch_size, mem::format_bytes(estimate.tensor_bytes)));

  // 4. The sweep.
  ProgressTable table(stderr, verbose);
  table.header();
  sim::RunnerHooks hooks;
  hooks.on_progress = [&](std::size_t, const sim::PointResult& p) { table.progress(p); };
  hooks.on_point_done = [&](std::size_t, const sim::PointResult& p) { table.done(p); };
  std::uint64_t releases = 0, released_bytes = 0;
  auto release = [&] {
    ++releases;
    released_bytes += memory.release();
  };
  hooks.after_batch = [&](std::uint64_t batches) {
    if (batches % static_cast<std::uint64_t>(o.budget.release_every) == 0) release();
  };
  hooks.between_points = release;
  hooks.interrupt = &g_interrupted;
  g_interrupted.store(false);
  auto previous = std::signal(SIGINT, on_sigint);
  sim::SweepResult result;
  {
    // The seed's MemoryMonitor("Simulation") scope: RSS and tensor peaks of the sweep, printed at exit.
    mem::MemoryMonitor monitor("Simulation", &memory.statistics(),
                               verbose ? mem::MemoryMonitor::Sink([](std::string_view line) {
                                 fmt::print(stderr, "{}\n", line);
                               })
                                       : mem::MemoryMonitor::Sink{});
    result = sim::run_sweep(*built.pipeline, run, hooks, resume ? &*resume : nullptr);
  }
  std::signal(SIGINT, previous);

  const std::uint64_t measured_peak = memory.statistics().peak_bytes();
  const std::uint64_t peak_rss = mem::read_process_memory().peak_rss_bytes;
  if (verbose) {
    fmt::print(stderr, "Throughput: {:.2f} Mbit/s of information bits (SIMD kernels: {})\n",
               result.throughput_bits_per_s() / 1e6, phy::simd::kernel_isa());
    fmt::print(stderr, "Memory: estimated peak {} (tensors {}), measured tensors peak {}, process peak RSS {}\n",
               mem::format_bytes(estimate.peak_bytes()), mem::format_bytes(estimate.tensor_bytes),
               mem::format_bytes(measured_peak), mem::format_bytes(peak_rss));
    fmt::print(stderr, "Pool: {} releases returned {} to the system ({} cached now)\n", releases,
               mem::format_bytes(released_bytes), mem::format_bytes(memory.pool().cached_bytes()));
  }

  // 5. Results, atomically.
  config["batch_size"] = run.batch_size;
  if (!o.output.json_path.empty()) {
    nlohmann::json doc = {
        {"version", SIXG_VERSION},
        {"kernel_isa", phy::simd::kernel_isa()},
        {"status", result.interrupted ? "interrupted" : "done"},
        {"config", config},
        {"memory",
         {{"budget_bytes", budget.budget_bytes},
          {"batch_size", run.batch_size},
          {"estimated_peak_bytes", estimate.peak_bytes()},
          {"estimated_tensor_bytes", estimate.tensor_bytes},
          {"measured_peak_bytes", measured_peak},
          {"process_peak_rss_bytes", peak_rss},
          {"pool_releases", releases},
          {"pool_released_bytes", released_bytes},
          {"huge_pages", o.budget.huge_pages}}},
        {"points", sim::points_to_json(result)},
        {"throughput_bits_per_s", result.throughput_bits_per_s()},
    };
    sim::write_file_atomically(o.output.json_path, doc.dump(2) + "\n");
  }
  if (!o.output.csv_path.empty()) sim::write_file_atomically(o.output.csv_path, sim::points_to_csv(result));
  if (result.interrupted) {
    fmt::print(stderr, "Interrupted: partial results written{}; continue with --resume\n",
               o.output.json_path.empty() ? " (no --json given, nothing to resume from)" : "");
    return kExitInterrupted;
  }
  return kExitOk;
}

}  // namespace

CommandAction add_simulate_command(CLI::App& app) {
  auto options = std::make_shared<SimulateOptions>();
  CLI::App* sub = app.add_subcommand("simulate", "Eb/N0 sweep of the link (BER/BLER); progress table on stderr");
  add_scenario_options(*sub, options->scenario);
  add_run_options(*sub, options->run);
  add_budget_options(*sub, options->budget, true);
  add_output_options(*sub, options->output);
  sub->add_option("--config", options->config_path, "TOML file with any of these options (command line wins)");
  sub->add_option("--resume", options->resume_path, "continue the run saved in this JSON (from --json)")->group("Run");
  return [options] { return run_simulate(*options); };
}

}  // namespace sixg::cli
