#include "config_file.h"

#include <fmt/core.h>

#include <toml++/toml.h>

#include "sixg/phy/types.h"

namespace sixg::cli {

using phy::invalid_config;

namespace {

std::string value_text(const toml::node& node, const std::string& where) {
  if (auto s = node.value<std::string>()) return *s;
  if (node.is_boolean()) return *node.value<bool>() ? "true" : "false";
  if (node.is_integer()) return std::to_string(*node.value<std::int64_t>());
  if (node.is_floating_point()) return fmt::format("{}", *node.value<double>());
  if (const auto* array = node.as_array()) {
    // Lists (e.g. pilot_symbols = [2, 11], ebno = [0, 2, 4]) become the comma form of the option.
    std::string out;
    for (const auto& item : *array) {
      if (item.is_array() || item.is_table()) break;
      out += (out.empty() ? "" : ",") + value_text(item, where);
    }
    return out;
  }
  throw invalid_config("--config", fmt::format("--config: {}: a table is not a valid option value", where));
}

}  // namespace

ConfigFileArguments read_config_file(const std::string& path, const CLI::App& command) {
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    throw invalid_config("--config", fmt::format("--config: {} line {}, column {}: {}", path, where.line, where.column,
                                                 e.description()));
  }
  ConfigFileArguments out;
  for (const auto& [key, node] : table) {
    const std::string name(key.str());
    const std::string where = fmt::format("{} line {}, key '{}'", path, node.source().begin.line, name);
    std::string option = "--" + name;
    for (char& c : option) c = c == '_' ? '-' : c;
    if (name == "config") throw invalid_config("--config", fmt::format("--config: {}: a config file cannot include another", where));
    const CLI::Option* opt = nullptr;
    try {
      opt = command.get_option(option);
    } catch (const CLI::OptionNotFound&) {
      opt = nullptr;
    }
    if (opt == nullptr) {
      throw invalid_config("--config", fmt::format("--config: {}: no such option '{}' for `sixg {}`", where, option,
                                                   command.get_name()));
    }
    out.arguments.push_back(option + "=" + value_text(node, where));
    out.origin[option] = where;
  }
  return out;
}

std::string find_config_argument(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--config" && i + 1 < argc) return argv[i + 1];
    if (a.rfind("--config=", 0) == 0) return a.substr(9);
  }
  return {};
}

}  // namespace sixg::cli
