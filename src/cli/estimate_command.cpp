// `sixg estimate`: the pipeline's tensor inventory and estimated peak for a batch size (DESIGN §4).
#include <fmt/core.h>
#include <fmt/ranges.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli_app.h"
#include "commands.h"
#include "scenario_options.h"
#include "sixg/mem/byte_size.h"
#include "sixg/mem/process_memory.h"
#include "sixg/sim/memory_plan.h"

namespace sixg::cli {
namespace {

struct EstimateOptions {
  ScenarioOptionValues scenario;
  int batch_size = 0;
  std::optional<int> threads;
  bool json = false;
  std::string config_path;
};

nlohmann::json estimate_to_json(const sim::MemoryEstimate& e) {
  nlohmann::json tensors = nlohmann::json::array();
  for (const auto& t : e.tensors) {
    tensors.push_back({{"name", t.name}, {"shape", t.shape}, {"dtype", t.dtype}, {"bytes", t.bytes()}, {"phase", t.phase}});
  }
  return {{"batch_size", e.batch_size},     {"threads", e.threads},
          {"tensors", tensors},             {"tensor_bytes", e.tensor_bytes},
          {"workspace_bytes", e.workspace_bytes}, {"baseline_bytes", e.baseline_bytes},
          {"peak_bytes", e.peak_bytes()},   {"seed_formula_bytes", e.seed_formula_bytes}};
}

int run_estimate(const EstimateOptions& o) {
  const sim::Scenario scenario = build_scenario(o.scenario);
  if (o.batch_size < 1 || o.batch_size > 1'000'000) {
    throw phy::invalid_config("--batch-size", "--batch-size: must be an integer in [1, 1000000]");
  }
  if (o.threads && (*o.threads < 1 || *o.threads > 1024)) {
    throw phy::invalid_config("--threads", "--threads: must be an integer in [1, 1024]");
  }
  const int threads = o.threads.value_or(static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
  const auto e = sim::estimate_memory(scenario, o.batch_size, threads, mem::read_process_memory().rss_bytes);
  if (o.json) {
    fmt::print("{}\n", estimate_to_json(e).dump(2));
    return kExitOk;
  }
  fmt::print("Memory estimate for batch size {} ({} threads):\n", e.batch_size, e.threads);
  fmt::print("  {:<26} {:<28} {:<9} {:>12}  {}\n", "tensor", "shape", "dtype", "size", "phase");
  for (const auto& t : e.tensors) {
    fmt::print("  {:<26} {:<28} {:<9} {:>12}  {}\n", t.name, fmt::format("[{}]", fmt::join(t.shape, ", ")), t.dtype,
               mem::format_bytes(t.bytes()), t.phase);
  }
  fmt::print("  {:<26} {:>51}\n", "tensors (held together)", mem::format_bytes(e.tensor_bytes));
  fmt::print("  {:<26} {:>51}\n", fmt::format("workspaces ({} threads)", e.threads), mem::format_bytes(e.workspace_bytes));
  fmt::print("  {:<26} {:>51}\n", "process baseline", mem::format_bytes(e.baseline_bytes));
  fmt::print("  {:<26} {:>51}\n", "estimated peak", mem::format_bytes(e.peak_bytes()));
  fmt::print("  {:<26} {:>51}\n", "seed formula (comparison)", mem::format_bytes(e.seed_formula_bytes));
  fmt::print("  per frame: {} of tensors\n", mem::format_bytes(e.tensor_bytes / static_cast<std::uint64_t>(e.batch_size)));
  return kExitOk;
}

}  // namespace

CommandAction add_estimate_command(CLI::App& app) {
  auto o = std::make_shared<EstimateOptions>();
  CLI::App* sub = app.add_subcommand("estimate", "Memory estimate: tensor inventory, peak, the seed's formula");
  add_scenario_options(*sub, o->scenario);
  sub->add_option("--batch-size", o->batch_size, "frames per batch")->required()->group("Run");
  sub->add_option("--threads", o->threads, "worker threads (default: all cores)")->group("Run");
  sub->add_flag("--json", o->json, "print JSON (DESIGN §4)")->group("Output");
  sub->add_option("--config", o->config_path, "TOML file with any of these options (command line wins)");
  return [o] { return run_estimate(*o); };
}

}  // namespace sixg::cli
