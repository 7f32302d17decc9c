#include "sixg/mem/limiting_resource.h"

#include "sixg/mem/out_of_budget.h"

namespace sixg::mem {

limiting_resource::limiting_resource(std::pmr::memory_resource* upstream, std::uint64_t limit_bytes)
    : upstream_(upstream), limit_(limit_bytes) {}

void limiting_resource::set_limit(std::uint64_t limit_bytes) noexcept {
  limit_.store(limit_bytes, std::memory_order_relaxed);
}

std::uint64_t limiting_resource::limit_bytes() const noexcept { return limit_.load(std::memory_order_relaxed); }

std::uint64_t limiting_resource::in_use_bytes() const noexcept { return in_use_.load(std::memory_order_relaxed); }

void* limiting_resource::do_allocate(std::size_t bytes, std::size_t alignment) {
  // Reserve the bytes before asking upstream: a check followed by a separate add would let two
  // threads both see room for one and overshoot the budget together.
  const std::uint64_t limit = limit_.load(std::memory_order_relaxed);
  std::uint64_t in_use = in_use_.load(std::memory_order_relaxed);
  do {
    // Written as a subtraction so that a huge request cannot wrap around and pass.
    if (in_use > limit || bytes > limit - in_use) throw out_of_budget(bytes, in_use, limit);
  } while (!in_use_.compare_exchange_weak(in_use, in_use + bytes, std::memory_order_relaxed));

  try {
    return upstream_->allocate(bytes, alignment);
  } catch (...) {
    in_use_.fetch_sub(bytes, std::memory_order_relaxed);
    throw;
  }
}

void limiting_resource::do_deallocate(void* p, std::size_t bytes, std::size_t alignment) {
  upstream_->deallocate(p, bytes, alignment);
  // Only after the upstream has the block back may another thread count on these bytes.
  in_use_.fetch_sub(bytes, std::memory_order_relaxed);
}

bool limiting_resource::do_is_equal(const std::pmr::memory_resource& other) const noexcept { return this == &other; }

}  // namespace sixg::mem
