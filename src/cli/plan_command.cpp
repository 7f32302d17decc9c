// `sixg plan`: the largest batch whose estimated peak fits the budget (DESIGN §2, §4).
#include <fmt/core.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "budget_options.h"
#include "cli_app.h"
#include "commands.h"
#include "scenario_options.h"
#include "sixg/mem/byte_size.h"
#include "sixg/mem/process_memory.h"
#include "sixg/mem/system_probe.h"
#include "sixg/sim/memory_plan.h"

namespace sixg::cli {
namespace {

struct PlanOptions {
  ScenarioOptionValues scenario;
  BudgetOptionValues budget;
  std::int64_t max_frames = 1'000'000;
  std::optional<int> threads;
  bool json = false;
  std::string config_path;
};

int run_plan(const PlanOptions& o) {
  const sim::Scenario scenario = build_scenario(o.scenario);
  if (o.threads && (*o.threads < 1 || *o.threads > 1024)) {
    throw phy::invalid_config("--threads", "--threads: must be an integer in [1, 1024]");
  }
  if (o.max_frames < 1) throw phy::invalid_config("--max-frames", "--max-frames: must be at least 1");
  const int threads = o.threads.value_or(static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
  const auto status = mem::SystemProbe{}.status(false);
  const Budget budget = resolve_budget(o.budget, status);
  const int max_batch = static_cast<int>(std::min<std::int64_t>(o.max_frames, 1'000'000));
  const auto plan = sim::plan_batch(scenario, threads, budget.budget_bytes, budget.source, max_batch,
                                    mem::read_process_memory().rss_bytes);
  if (o.json) {
    nlohmann::json doc = {{"budget_bytes", plan.budget_bytes},
                          {"batch_size", plan.batch_size},
                          {"estimated_peak_bytes", plan.estimate.peak_bytes()},
                          {"limited_by", plan.limited_by}};
    fmt::print("{}\n", doc.dump(2));
  } else {
    fmt::print("Budget: {} ({:.0f} % of {} from {})\n", mem::format_bytes(plan.budget_bytes),
               o.budget.memory_fraction * 100, mem::format_bytes(budget.limit_base_bytes),
               budget.memory_limit_bytes && !budget.limit_clamped ? "--memory-limit" : "effective available memory");
    if (plan.batch_size == 0) {
      fmt::print("Not even one frame fits: one frame needs {}.\n", mem::format_bytes(plan.estimate.peak_bytes()));
    } else {
      fmt::print("Batch size: {} (estimated peak {}, limited by {})\n", plan.batch_size,
                 mem::format_bytes(plan.estimate.peak_bytes()), plan.limited_by);
    }
  }
  return plan.batch_size == 0 ? kExitBudget : kExitOk;
}

}  // namespace

CommandAction add_plan_command(CLI::App& app) {
  auto o = std::make_shared<PlanOptions>();
  CLI::App* sub = app.add_subcommand("plan", "Best batch size for the memory budget");
  add_scenario_options(*sub, o->scenario);
  add_budget_options(*sub, o->budget, false);
  sub->add_option("--max-frames", o->max_frames, "no batch larger than this is useful")->group("Run");
  sub->add_option("--threads", o->threads, "worker threads (default: all cores)")->group("Run");
  sub->add_flag("--json", o->json, "print JSON (DESIGN §4)")->group("Output");
  sub->add_option("--config", o->config_path, "TOML file with any of these options (command line wins)");
  return [o] { return run_plan(*o); };
}

}  // namespace sixg::cli
