// MemoryManager: owns sixg's allocator stack, built from a MemoryConfig (DESIGN §2).
//
// Top to bottom, every tensor's request passes through
//   warning_resource     one line when a single allocation is large against available memory
//   statistics_resource  current/peak/scope peaks of what tensors hold (the estimator's truth)
//   pool_resource        reuse of freed blocks (or the reserved arena); release() = clear cache
//   limiting_resource    the hard budget on what is really taken from the system
//   std::pmr::new_delete_resource(), or huge_page_resource with MemoryConfig::huge_pages
// Statistics sits above the pool so cached blocks are not counted as held by tensors; limiting
// sits below it so they are counted against the budget, and so the pool, when the budget refuses
// a request, can drop its cache and retry (docs/allocator-stack.md).
//
// The limit is config.limit_bytes, else config.limit_fraction × available_bytes() taken once at
// construction, else none. The manager is immovable (the resources point at each other); build
// it in place or with configure_memory().
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <memory_resource>
#include <optional>
#include <string_view>

#include "sixg/mem/limiting_resource.h"
#include "sixg/mem/memory_config.h"
#include "sixg/mem/pool_resource.h"
#include "sixg/mem/statistics_resource.h"
#include "sixg/mem/warning_resource.h"

namespace sixg::mem {

/// Effective available memory now, in bytes (in sixg: effective_available_bytes() from system_probe.h).
using AvailableBytesFunction = std::function<std::uint64_t()>;
/// Receives one warning line (no trailing newline).
using WarningSink = std::function<void(std::string_view)>;

/// Throws std::invalid_argument naming the field when `config` is inconsistent: a zero limit, a
/// fraction outside (0, 1], negative max_warnings, or reserve growth without any limit.
void validate(const MemoryConfig& config);

/// The hard limit `config` asks for: limit_bytes, else limit_fraction × available(), else none.
/// Throws std::invalid_argument when a fraction is given but `available` is empty.
std::optional<std::uint64_t> resolve_limit_bytes(const MemoryConfig& config, const AvailableBytesFunction& available);

class MemoryManager {
 public:
  /// Validates `config`, resolves the limit and builds the stack. `available_bytes` feeds the
  /// limit fraction and the warnings; `warning_sink` empty means stderr. In reserve mode the whole
  /// limit is committed here, and out_of_budget is thrown if limit_bytes exceeds available_bytes().
  MemoryManager(MemoryConfig config, AvailableBytesFunction available_bytes, WarningSink warning_sink = {});

  MemoryManager(const MemoryManager&) = delete;
  MemoryManager& operator=(const MemoryManager&) = delete;

  /// The top of the stack: allocate every tensor from here.
  [[nodiscard]] std::pmr::memory_resource* resource() noexcept { return &warnings_; }
  [[nodiscard]] statistics_resource& statistics() noexcept { return statistics_; }
  [[nodiscard]] const statistics_resource& statistics() const noexcept { return statistics_; }
  [[nodiscard]] pool_resource& pool() noexcept { return pool_; }
  [[nodiscard]] const pool_resource& pool() const noexcept { return pool_; }
  [[nodiscard]] limiting_resource& limiting() noexcept { return limiting_; }
  [[nodiscard]] const limiting_resource& limiting() const noexcept { return limiting_; }
  [[nodiscard]] warning_resource& warnings() noexcept { return warnings_; }

  /// The hard limit in bytes; nullopt when unlimited.
  [[nodiscard]] std::optional<std::uint64_t> limit_bytes() const noexcept { return limit_; }
  /// Clears the pool's cache and trims the heap (pool_resource::release); returns bytes released.
  std::uint64_t release() { return pool_.release(); }
  [[nodiscard]] const MemoryConfig& config() const noexcept { return config_; }

 private:
  MemoryConfig config_;
  std::optional<std::uint64_t> limit_;
  // Declared bottom-up: constructed upstream first, destroyed top first.
  limiting_resource limiting_;
  pool_resource pool_;
  statistics_resource statistics_;
  warning_resource warnings_;
};

/// Builds a MemoryManager on the heap (it cannot be moved). Same arguments and errors as its constructor.
std::unique_ptr<MemoryManager> configure_memory(const MemoryConfig& config, AvailableBytesFunction available_bytes,
                                                WarningSink warning_sink = {});

}  // namespace sixg::mem
