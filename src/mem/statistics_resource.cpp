#include "sixg/mem/statistics_resource.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace sixg::mem {

statistics_resource::statistics_resource(std::pmr::memory_resource* upstream) : upstream_(upstream) {}

AllocationStatistics statistics_resource::statistics() const {
  const std::lock_guard lock(mutex_);
  return counters_;
}

std::uint64_t statistics_resource::current_bytes() const { return statistics().current_bytes; }
std::uint64_t statistics_resource::peak_bytes() const { return statistics().peak_bytes; }
std::uint64_t statistics_resource::live_allocations() const { return statistics().live_allocations; }
std::uint64_t statistics_resource::total_allocations() const { return statistics().total_allocations; }

void statistics_resource::reset_peak() {
  const std::lock_guard lock(mutex_);
  counters_.peak_bytes = counters_.current_bytes;
}

std::size_t statistics_resource::push_scope() {
  const std::lock_guard lock(mutex_);
  const std::size_t id = next_scope_id_++;
  open_scopes_.push_back({id, counters_.current_bytes});
  return id;
}

namespace {

template <class Scopes>
auto find_scope(Scopes& scopes, std::size_t id) {
  const auto it = std::find_if(scopes.begin(), scopes.end(), [id](const auto& scope) { return scope.id == id; });
  if (it == scopes.end()) {
    throw std::invalid_argument("statistics_resource: no open scope with id " + std::to_string(id));
  }
  return it;
}

}  // namespace

std::uint64_t statistics_resource::scope_peak(std::size_t id) const {
  const std::lock_guard lock(mutex_);
  return find_scope(open_scopes_, id)->peak_bytes;
}

std::uint64_t statistics_resource::pop_scope(std::size_t id) {
  const std::lock_guard lock(mutex_);
  const auto it = find_scope(open_scopes_, id);
  const std::uint64_t peak = it->peak_bytes;
  open_scopes_.erase(it);
  return peak;
}

void* statistics_resource::do_allocate(std::size_t bytes, std::size_t alignment) {
  // Count only what the upstream really handed out: a refused request changes nothing.
  void* p = upstream_->allocate(bytes, alignment);
  const std::lock_guard lock(mutex_);
  counters_.current_bytes += bytes;
  counters_.total_bytes += bytes;
  ++counters_.live_allocations;
  ++counters_.total_allocations;
  counters_.peak_bytes = std::max(counters_.peak_bytes, counters_.current_bytes);
  for (Scope& scope : open_scopes_) scope.peak_bytes = std::max(scope.peak_bytes, counters_.current_bytes);
  return p;
}

void statistics_resource::do_deallocate(void* p, std::size_t bytes, std::size_t alignment) {
  {
    // Uncount before the block goes back: once upstream has it another thread may be handed the
    // same bytes, and counting them twice would report a peak that never existed.
    const std::lock_guard lock(mutex_);
    counters_.current_bytes -= bytes;
    --counters_.live_allocations;
  }
  upstream_->deallocate(p, bytes, alignment);
}

bool statistics_resource::do_is_equal(const std::pmr::memory_resource& other) const noexcept { return this == &other; }

}  // namespace sixg::mem
