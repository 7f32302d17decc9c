// `sixg memory [--json]`: the system / cgroup / process / GPU memory status (DESIGN §4).
#include <fmt/core.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "cli_app.h"
#include "commands.h"
#include "sixg/mem/memory_report.h"
#include "sixg/mem/system_probe.h"

namespace sixg::cli {
namespace {

/// The DESIGN §4 `memory` object; keys are part of the contract, printed in the contract's order.
nlohmann::ordered_json memory_status_json(const mem::MemoryStatus& status) {
  nlohmann::ordered_json cgroup = nullptr;
  if (status.cgroup) {
    cgroup = {{"limit_bytes", status.cgroup->limit_bytes}, {"usage_bytes", status.cgroup->usage_bytes}};
  }
  nlohmann::ordered_json gpus = nlohmann::ordered_json::array();
  for (const auto& gpu : status.gpus) {
    gpus.push_back({{"index", gpu.index},
                    {"name", gpu.name},
                    {"total_bytes", gpu.total_bytes},
                    {"used_bytes", gpu.used_bytes},
                    {"free_bytes", gpu.free_bytes}});
  }
  return {{"system",
           {{"total_bytes", status.system.total_bytes},
            {"available_bytes", status.system.available_bytes},
            {"used_percent", status.system.used_percent}}},
          {"cgroup", std::move(cgroup)},
          {"effective_available_bytes", status.effective_available_bytes},
          {"process", {{"rss_bytes", status.process.rss_bytes}, {"peak_rss_bytes", status.process.peak_rss_bytes}}},
          {"gpus", std::move(gpus)}};
}

}  // namespace

CommandAction add_memory_command(CLI::App& app) {
  auto* command = app.add_subcommand("memory", "Show system, cgroup, process and GPU memory status");
  auto json = std::make_shared<bool>(false);
  command->add_flag("--json", *json, "Print the status as one JSON object (stable keys, bytes) instead of text");
  return [json] {
    const mem::MemoryStatus status = mem::SystemProbe{}.status();
    if (*json) {
      fmt::print("{}\n", memory_status_json(status).dump(2));
    } else {
      fmt::print("{}", mem::format_memory_status(status));
    }
    return kExitOk;
  };
}

}  // namespace sixg::cli
