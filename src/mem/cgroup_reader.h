// Private to src/mem: reading the kernel's small text files (/proc, cgroupfs) for the system probe
// and the process memory reader. The cgroup parsers themselves are public (system_probe.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace sixg::mem::detail {

/// The whole file, or nullopt when it cannot be opened or read. /proc and cgroupfs files report
/// size 0, so this reads until end of file; it stops at `max_bytes` so that a wrong path (a device,
/// a huge file in a recorded tree) cannot make the probe slow or exhaust memory.
std::optional<std::string> read_text_file(const std::filesystem::path& path, std::size_t max_bytes = 1 << 20);

/// `root` joined with an absolute or relative path taken as relative to it ("/" + "/proc" = "/proc",
/// "/tmp/t" + "/proc" = "/tmp/t/proc"); std::filesystem's operator/ would drop `root` instead.
std::filesystem::path under_root(const std::filesystem::path& root, const std::filesystem::path& path);

/// The value of a "Key:   1234 kB" line of /proc/meminfo or /proc/<pid>/status, in bytes.
/// nullopt when the key is absent, the number is malformed, or bytes would overflow 64 bits.
std::optional<std::uint64_t> find_kib_field(std::string_view text, std::string_view key);

}  // namespace sixg::mem::detail
