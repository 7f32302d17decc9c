#include "support/disassembly.h"

#include <cstdio>
#include <memory>

namespace sixg::test {

bool for_each_disassembly_line(const std::string& binary, bool demangle,
                               const std::function<void(const std::string&)>& line) {
  const std::string command =
      "objdump -d --no-show-raw-insn " + std::string(demangle ? "-C " : "") + "'" + binary + "' 2>/dev/null";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) return false;
  bool any = false;
  std::string text;
  char buffer[8192];
  while (std::fgets(buffer, sizeof buffer, pipe.get()) != nullptr) {
    text += buffer;
    if (text.back() != '\n' && !std::feof(pipe.get())) continue;  // a line longer than the buffer
    if (text.back() == '\n') text.pop_back();
    any = true;
    line(text);
    text.clear();
  }
  return any;
}

}  // namespace sixg::test
