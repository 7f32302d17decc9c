#include "cli_app.h"

#include <fmt/core.h>

#include <exception>
#include <utility>
#include <vector>

#include "commands.h"
#include "sixg/phy/types.h"

namespace sixg::cli {

int run_cli(int argc, char** argv) {
  CLI::App app{"sixg: 6G multi-user MIMO-OFDM link-level simulator with a built-in memory manager", "sixg"};
  app.set_version_flag("--version", std::string("sixg ") + SIXG_VERSION);
  app.require_subcommand(0, 1);

  std::vector<std::pair<CLI::App*, CommandAction>> commands;
  auto add = [&](const char* name, CommandAction action) {
    commands.emplace_back(app.get_subcommand(name), std::move(action));
  };
  add("simulate", add_simulate_command(app));
  add("memory", add_memory_command(app));

  try {
    app.parse(argc, argv);
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
    for (auto& [sub, action] : commands) {
      if (sub->parsed()) return action();
    }
  } catch (const phy::invalid_config& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return kExitBadInput;
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 1;
  }
  fmt::print("{}", app.help());
  return kExitOk;
}

}  // namespace sixg::cli
