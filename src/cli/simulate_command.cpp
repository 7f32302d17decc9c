// `sixg simulate`: the Eb/N0 sweep (DESIGN §3, §4).
#include <fmt/core.h>

#include <atomic>
#include <csignal>
#include <memory>
#include <memory_resource>
#include <stdexcept>

#include "cli_app.h"
#include "commands.h"
#include "progress_table.h"
#include "scenario_options.h"
#include "sixg/sim/link_pipeline.h"
#include "sixg/sim/result_io.h"
#include "sixg/sim/runner.h"

namespace sixg::cli {
namespace {

std::atomic<bool> g_interrupted{false};
extern "C" void on_sigint(int) { g_interrupted.store(true); }

struct SimulateOptions {
  ScenarioOptionValues scenario;
  RunOptionValues run;
  OutputOptionValues output;
};

int run_simulate(const SimulateOptions& o) {
  const sim::Scenario scenario = build_scenario(o.scenario);
  sim::RunConfig run = build_run_config(o.run);
  check_output_path(o.output.json_path, "--json");
  check_output_path(o.output.csv_path, "--csv");

  sim::LinkPipeline pipeline(scenario, run.seed, run.batch_size, run.threads, std::pmr::new_delete_resource());

  ProgressTable table(stderr, !o.output.quiet);
  table.header();
  sim::RunnerHooks hooks;
  hooks.on_progress = [&](std::size_t, const sim::PointResult& p) { table.progress(p); };
  hooks.on_point_done = [&](std::size_t, const sim::PointResult& p) { table.done(p); };
  hooks.interrupt = &g_interrupted;
  g_interrupted.store(false);
  auto previous = std::signal(SIGINT, on_sigint);
  const sim::SweepResult result = sim::run_sweep(pipeline, run, hooks);
  std::signal(SIGINT, previous);

  if (!o.output.quiet) {
    fmt::print(stderr, "throughput: {:.2f} Mbit/s of information bits\n", result.throughput_bits_per_s() / 1e6);
  }
  if (!o.output.json_path.empty()) {
    nlohmann::json config = sim::scenario_to_json(scenario);
    config.update(sim::run_config_to_json(run));
    nlohmann::json doc = {
        {"version", SIXG_VERSION},
        {"status", result.interrupted ? "interrupted" : "done"},
        {"config", config},
        {"points", sim::points_to_json(result)},
        {"throughput_bits_per_s", result.throughput_bits_per_s()},
    };
    sim::write_file_atomically(o.output.json_path, doc.dump(2) + "\n");
  }
  if (!o.output.csv_path.empty()) sim::write_file_atomically(o.output.csv_path, sim::points_to_csv(result));
  return result.interrupted ? kExitInterrupted : kExitOk;
}

}  // namespace

CommandAction add_simulate_command(CLI::App& app) {
  auto options = std::make_shared<SimulateOptions>();
  CLI::App* sub = app.add_subcommand("simulate", "Eb/N0 sweep of the link (BER/BLER); progress table on stderr");
  add_scenario_options(*sub, options->scenario);
  add_run_options(*sub, options->run);
  add_output_options(*sub, options->output);
  return [options] { return run_simulate(*options); };
}

}  // namespace sixg::cli
