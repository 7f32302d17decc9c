// Reads a binary's disassembly (objdump -d) line by line, for the tests that check which instructions
// the build produced (no FMA anywhere, AVX only inside the AVX2 kernel copies).
#pragma once

#include <functional>
#include <string>

namespace sixg::test {

/// Calls `line` with each line of `objdump -d --no-show-raw-insn [-C] binary` (without the newline).
/// Returns false when objdump printed nothing (binutils missing or the file unreadable), so the caller
/// can skip instead of passing vacuously.
bool for_each_disassembly_line(const std::string& binary, bool demangle,
                               const std::function<void(const std::string&)>& line);

}  // namespace sixg::test
