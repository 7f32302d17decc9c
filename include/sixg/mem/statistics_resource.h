// statistics_resource: counts what passes through it to an upstream std::pmr::memory_resource.
//
// Keeps the bytes and number of live allocations, the all-time (or since reset_peak()) peak of
// live bytes, the total number of allocations, and any number of open "scopes", each of which
// records the peak of live bytes reached while it was open. In the memory manager it sits above
// the pool, so its numbers are exactly what the pipeline's tensors hold — the truth the memory
// estimator is tested against (DESIGN §2).
//
// Thread-safe, and the peaks are exact under concurrent allocation: every change of the live byte
// count and its comparison with the peaks happen under one mutex, so the recorded peak is the true
// maximum of the sequence of live-byte values. The lock is held for a few additions only (never
// across the upstream call); tensors are allocated per buffer, not per element, so it is not hot.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory_resource>
#include <mutex>
#include <vector>

namespace sixg::mem {

/// One consistent snapshot of a statistics_resource's counters.
struct AllocationStatistics {
  std::uint64_t current_bytes = 0;      // bytes of live allocations
  std::uint64_t peak_bytes = 0;         // max of current_bytes since construction or reset_peak()
  std::uint64_t live_allocations = 0;   // allocations not yet deallocated
  std::uint64_t total_allocations = 0;  // allocations ever made through the resource
  std::uint64_t total_bytes = 0;        // bytes ever allocated through the resource
};

class statistics_resource final : public std::pmr::memory_resource {
 public:
  /// `upstream` must outlive this resource.
  explicit statistics_resource(std::pmr::memory_resource* upstream);

  statistics_resource(const statistics_resource&) = delete;
  statistics_resource& operator=(const statistics_resource&) = delete;

  [[nodiscard]] AllocationStatistics statistics() const;
  [[nodiscard]] std::uint64_t current_bytes() const;
  [[nodiscard]] std::uint64_t peak_bytes() const;
  [[nodiscard]] std::uint64_t live_allocations() const;
  [[nodiscard]] std::uint64_t total_allocations() const;

  /// Restarts the global peak from the current live bytes (open scopes are not affected).
  void reset_peak();

  /// Opens a scope whose peak starts at the current live bytes and rises with every later peak;
  /// returns its id. Scopes nest and may be closed in any order (several threads may open them).
  [[nodiscard]] std::size_t push_scope();
  /// The peak of the open scope `id` so far. Throws std::invalid_argument for an unknown id.
  [[nodiscard]] std::uint64_t scope_peak(std::size_t id) const;
  /// Closes scope `id` and returns the peak of live bytes reached while it was open.
  /// Throws std::invalid_argument for an id that is not open.
  std::uint64_t pop_scope(std::size_t id);

  [[nodiscard]] std::pmr::memory_resource* upstream() const noexcept { return upstream_; }

 private:
  struct Scope {
    std::size_t id;
    std::uint64_t peak_bytes;
  };

  void* do_allocate(std::size_t bytes, std::size_t alignment) override;
  void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) override;
  [[nodiscard]] bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override;

  std::pmr::memory_resource* upstream_;
  mutable std::mutex mutex_;
  AllocationStatistics counters_;
  std::vector<Scope> open_scopes_;  // few at a time (nested monitors), so a flat vector
  std::size_t next_scope_id_ = 1;
};

}  // namespace sixg::mem
