#include "cli_app.h"

#include <fmt/core.h>

#include <exception>
#include <utility>
#include <vector>

#include "commands.h"
#include "config_file.h"
#include "sixg/mem/out_of_budget.h"
#include "sixg/phy/simd/kernel_target.h"
#include "sixg/phy/types.h"
#include "sixg/sim/budgeted_pipeline.h"

namespace sixg::cli {

int run_cli(int argc, char** argv) {
  CLI::App app{"sixg: 6G multi-user MIMO-OFDM link-level simulator with a built-in memory manager", "sixg"};
  app.set_version_flag("--version", std::string("sixg ") + SIXG_VERSION);
  app.require_subcommand(0, 1);
  // A value given twice keeps the last one: config-file values come first, the command line wins.
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);

  std::vector<std::pair<CLI::App*, CommandAction>> commands;
  auto add = [&](const char* name, CommandAction action) {
    commands.emplace_back(app.get_subcommand(name), std::move(action));
  };
  add("simulate", add_simulate_command(app));
  add("estimate", add_estimate_command(app));
  add("plan", add_plan_command(app));
  add("memory", add_memory_command(app));

  std::vector<std::string> args(argv, argv + argc);
  ConfigFileArguments from_config;
  try {
    // --config: the file's options go right after the subcommand name, before the command line's.
    const std::string config_path = find_config_argument(argc, argv);
    if (!config_path.empty() && argc > 1) {
      for (auto& [sub, action] : commands) {
        if (args[1] == sub->get_name() && sub->get_option_no_throw("--config") != nullptr) {
          from_config = read_config_file(config_path, *sub);
          args.insert(args.begin() + 2, from_config.arguments.begin(), from_config.arguments.end());
        }
      }
    }
  } catch (const phy::invalid_config& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return kExitBadInput;
  }
  std::vector<char*> parse_argv;
  for (auto& a : args) parse_argv.push_back(a.data());

  try {
    app.parse(static_cast<int>(parse_argv.size()), parse_argv.data());
  } catch (const CLI::CallForHelp& e) {
    app.exit(e);
    return kExitOk;
  } catch (const CLI::CallForAllHelp& e) {
    app.exit(e);
    return kExitOk;
  } catch (const CLI::CallForVersion& e) {
    app.exit(e);
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitBadInput;  // every CLI11 parse error is bad input (DESIGN §4)
  }

  try {
    // SIXG_SIMD picks the SIMD kernel target (auto, baseline, avx2); results do not depend on it.
    phy::simd::select_target_from_environment();
  } catch (const std::invalid_argument& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return kExitBadInput;
  }

  try {
    for (auto& [sub, action] : commands) {
      if (sub->parsed()) return action();
    }
  } catch (const phy::invalid_config& e) {
    std::string where;
    if (auto it = from_config.origin.find(e.option()); it != from_config.origin.end()) {
      // Name the file and line when the bad value came from --config and the command line did not override it.
      bool on_command_line = false;
      for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        on_command_line |= a == e.option() || a.rfind(e.option() + "=", 0) == 0;
      }
      if (!on_command_line) where = " (from --config " + it->second + ")";
    }
    fmt::print(stderr, "error: {}{}\n", e.what(), where);
    return kExitBadInput;
  } catch (const sim::budget_too_small& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return kExitBudget;
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 1;
  }
  fmt::print("{}", app.help());
  return kExitOk;
}

}  // namespace sixg::cli
