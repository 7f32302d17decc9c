// limiting_resource: a hard byte budget in front of an upstream std::pmr::memory_resource.
//
// Counts the bytes of every live allocation passed through it and refuses (throws
// sixg::mem::out_of_budget) any request that would take that count above the limit; reaching the
// limit exactly is allowed. In the memory manager it sits directly above the system allocator, so
// the budget bounds what the process really takes, pooled-but-unused blocks included (DESIGN §2).
// Thread-safe and lock-free: the reservation is one compare-and-swap on the in-use counter.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory_resource>

namespace sixg::mem {

class limiting_resource final : public std::pmr::memory_resource {
 public:
  /// `upstream` must outlive this resource.
  limiting_resource(std::pmr::memory_resource* upstream, std::uint64_t limit_bytes);

  limiting_resource(const limiting_resource&) = delete;
  limiting_resource& operator=(const limiting_resource&) = delete;

  /// Changes the budget for future requests; live allocations are never taken back, so a limit
  /// below in_use_bytes() simply refuses everything until enough has been freed.
  void set_limit(std::uint64_t limit_bytes) noexcept;
  [[nodiscard]] std::uint64_t limit_bytes() const noexcept;
  /// Bytes of live allocations made through this resource (the sizes callers asked for).
  [[nodiscard]] std::uint64_t in_use_bytes() const noexcept;
  [[nodiscard]] std::pmr::memory_resource* upstream() const noexcept { return upstream_; }

 private:
  void* do_allocate(std::size_t bytes, std::size_t alignment) override;
  void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) override;
  [[nodiscard]] bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override;

  std::pmr::memory_resource* upstream_;
  std::atomic<std::uint64_t> limit_;
  std::atomic<std::uint64_t> in_use_{0};
};

}  // namespace sixg::mem
