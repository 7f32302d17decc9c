#include "sixg/mem/warning_resource.h"

#include <cstdio>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "sixg/mem/byte_size.h"

namespace sixg::mem {

warning_resource::warning_resource(std::pmr::memory_resource* upstream, WarningOptions options)
    : upstream_(upstream),
      options_(std::move(options)),
      enabled_(options_.enabled),
      quota_left_(options_.max_warnings > 0) {
  if (!(options_.fraction > 0.0 && options_.fraction <= 1.0)) {
    throw std::invalid_argument("warning_resource: fraction must be in (0, 1]");
  }
  if (options_.max_warnings < 0) throw std::invalid_argument("warning_resource: max_warnings must be >= 0");
  if (!options_.sink) {
    options_.sink = [](std::string_view line) {
      std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
    };
  }
}

int warning_resource::warnings_issued() const {
  const std::lock_guard lock(mutex_);
  return warnings_issued_;
}

void* warning_resource::do_allocate(std::size_t bytes, std::size_t alignment) {
  if (bytes >= kMinCheckedBytes && enabled_.load(std::memory_order_relaxed) &&
      quota_left_.load(std::memory_order_relaxed) && options_.available_bytes) {
    try {
      check(bytes);
    } catch (...) {
      // A diagnostic that fails (probe error, sink out of memory) must not fail the allocation.
    }
  }
  return upstream_->allocate(bytes, alignment);
}

void warning_resource::check(std::size_t bytes) {
  const std::uint64_t available = options_.available_bytes();
  if (!(static_cast<double>(bytes) > options_.fraction * static_cast<double>(available))) return;
  {
    const std::lock_guard lock(mutex_);
    if (warnings_issued_ >= options_.max_warnings || !warned_sizes_.insert(bytes).second) return;
    ++warnings_issued_;
    if (warnings_issued_ >= options_.max_warnings) quota_left_.store(false, std::memory_order_relaxed);
  }
  // The sink runs outside the lock: it may be slow (a terminal) and must not serialise allocations.
  options_.sink(fmt::format("warning: allocation of {} bytes ({}) exceeds {:g}% of available memory ({})", bytes,
                            format_bytes(bytes), options_.fraction * 100.0, format_bytes(available)));
}

void warning_resource::do_deallocate(void* p, std::size_t bytes, std::size_t alignment) {
  upstream_->deallocate(p, bytes, alignment);
}

bool warning_resource::do_is_equal(const std::pmr::memory_resource& other) const noexcept { return this == &other; }

}  // namespace sixg::mem
