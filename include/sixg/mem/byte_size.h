// Byte sizes as users type and read them: "512MiB", "4GiB", "1.5GB", "1000" (bytes).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sixg::mem {

/// Parses a size with an optional unit: B, KiB, MiB, GiB, TiB (powers of 1024) or KB, MB, GB, TB
/// (powers of 1000); a bare number is bytes. Returns nullopt for anything else, for negative or
/// zero-free garbage, and for values that overflow 64 bits.
std::optional<std::uint64_t> parse_byte_size(std::string_view text);

/// Formats bytes in binary units with two decimals, e.g. "23.43 GiB", "512.00 MiB", "100 B".
std::string format_bytes(std::uint64_t bytes);

/// Bytes as MiB with one decimal, as the seed's "Memory Estimation" block prints them.
std::string format_mib(std::uint64_t bytes);

}  // namespace sixg::mem
