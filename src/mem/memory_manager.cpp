#include "sixg/mem/memory_manager.h"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

#include "sixg/mem/huge_page_resource.h"
#include "sixg/mem/out_of_budget.h"

namespace sixg::mem {

namespace {

bool is_fraction(double value) { return value > 0.0 && value <= 1.0; }  // false for NaN too

PoolOptions pool_options(const MemoryConfig& config, const std::optional<std::uint64_t>& limit,
                         const AvailableBytesFunction& available) {
  if (config.growth != MemoryConfig::Growth::reserve) return {};
  // validate() guarantees a limit here. Committing more than the machine has would end in the
  // kernel's OOM killer rather than an error, so refuse it while it is still an exception. A limit
  // from limit_fraction (<= 1) is within the available memory by construction; probing again
  // could only fail it for the noise between two readings.
  if (config.limit_bytes && available) {
    const std::uint64_t now = available();
    if (*limit > now) throw out_of_budget(*limit, 0, now);
  }
  return PoolOptions{.reserve_bytes = *limit};
}

WarningOptions warning_options(const MemoryConfig& config, AvailableBytesFunction available, WarningSink sink) {
  return WarningOptions{.enabled = config.allocation_warnings,
                        .fraction = config.warning_fraction,
                        .max_warnings = config.max_warnings,
                        .available_bytes = std::move(available),
                        .sink = std::move(sink)};
}

}  // namespace

void validate(const MemoryConfig& config) {
  if (config.limit_bytes && *config.limit_bytes == 0) {
    throw std::invalid_argument("memory config: limit_bytes must be > 0");
  }
  if (config.limit_fraction && !is_fraction(*config.limit_fraction)) {
    throw std::invalid_argument("memory config: limit_fraction must be in (0, 1]");
  }
  if (!is_fraction(config.warning_fraction)) {
    throw std::invalid_argument("memory config: warning_fraction must be in (0, 1]");
  }
  if (config.max_warnings < 0) throw std::invalid_argument("memory config: max_warnings must be >= 0");
  if (config.growth == MemoryConfig::Growth::reserve && !config.limit_bytes && !config.limit_fraction) {
    throw std::invalid_argument("memory config: reserve growth needs limit_bytes or limit_fraction (the reserve)");
  }
}

std::optional<std::uint64_t> resolve_limit_bytes(const MemoryConfig& config, const AvailableBytesFunction& available) {
  if (config.limit_bytes) return config.limit_bytes;
  if (!config.limit_fraction) return std::nullopt;
  if (!available) throw std::invalid_argument("memory config: limit_fraction needs the available memory");
  return static_cast<std::uint64_t>(std::floor(*config.limit_fraction * static_cast<double>(available())));
}

MemoryManager::MemoryManager(MemoryConfig config, AvailableBytesFunction available_bytes, WarningSink warning_sink)
    : config_(std::move(config)),
      limit_((validate(config_), resolve_limit_bytes(config_, available_bytes))),
      limiting_(config_.huge_pages ? huge_page_system_resource() : std::pmr::new_delete_resource(),
                limit_.value_or(std::numeric_limits<std::uint64_t>::max())),
      pool_(&limiting_, pool_options(config_, limit_, available_bytes)),
      statistics_(&pool_),
      warnings_(&statistics_, warning_options(config_, std::move(available_bytes), std::move(warning_sink))) {}

std::unique_ptr<MemoryManager> configure_memory(const MemoryConfig& config, AvailableBytesFunction available_bytes,
                                                WarningSink warning_sink) {
  return std::make_unique<MemoryManager>(config, std::move(available_bytes), std::move(warning_sink));
}

}  // namespace sixg::mem
