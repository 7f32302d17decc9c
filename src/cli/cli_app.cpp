#include "cli_app.h"

#include <CLI/CLI.hpp>
#include <fmt/core.h>

namespace sixg::cli {

int run_cli(int argc, char** argv) {
  CLI::App app{"sixg: 6G multi-user MIMO-OFDM link-level simulator with a built-in memory manager", "sixg"};
  app.set_version_flag("--version", std::string("sixg ") + SIXG_VERSION);
  app.require_subcommand(0, 1);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e) == 0 ? kExitOk : kExitBadInput;
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e) == 0 ? kExitOk : kExitBadInput;
  } catch (const CLI::CallForVersion& e) {
    app.exit(e);
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitBadInput;
  }
  return kExitOk;
}

}  // namespace sixg::cli
