// pool_resource: keeps freed blocks for reuse, or serves everything from one reserved arena.
//
// On demand (the default): a freed block is cached under its exact (size, alignment) and handed
// back for the next equal request. The pipeline allocates the same tensor shapes batch after
// batch, so after the first batch nearly every request is a cache hit and the system allocator is
// not touched. release() is the real "clear cache": every cached block goes back to the upstream
// and glibc's malloc_trim(0) returns the freed heap pages to the kernel, so the process RSS drops.
//
// Reserve (options.reserve_bytes > 0, TensorFlow's memory_growth=False): one arena of that size is
// taken from the upstream at construction and its pages are touched so the memory is committed
// now, not at first use. Requests are served from it first-fit with coalescing of freed neighbours;
// when no free extent fits, allocate throws out_of_budget(requested, in use, reserve size).
//
// When the upstream refuses a request (out_of_budget from a limiting_resource below, or
// std::bad_alloc), the pool releases its cache and retries once: cached blocks count against the
// budget, and dropping them is exactly what makes room.
//
// Invariant in both modes: held_bytes() == in_use_bytes() + cached_bytes().
// Thread-safe (one mutex; never held across an upstream call in on-demand mode).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <memory_resource>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace sixg::mem {

struct PoolOptions {
  /// 0: grow on demand and cache freed blocks. Otherwise the size of the arena reserved up front.
  std::uint64_t reserve_bytes = 0;
};

class pool_resource final : public std::pmr::memory_resource {
 public:
  /// `upstream` must outlive this resource. In reserve mode this allocates (and commits) the
  /// arena, so it throws whatever the upstream throws when the reserve does not fit.
  explicit pool_resource(std::pmr::memory_resource* upstream, PoolOptions options = {});
  /// Returns the cache (or the arena) to the upstream. Blocks still handed out are not tracked
  /// and therefore not returned: free every block before destroying the pool.
  ~pool_resource() override;

  pool_resource(const pool_resource&) = delete;
  pool_resource& operator=(const pool_resource&) = delete;

  /// Returns every cached block to the upstream, then calls malloc_trim(0) (glibc) so the freed
  /// heap pages leave the process. Returns the bytes given back (always 0 in reserve mode, whose
  /// arena is kept by design).
  std::uint64_t release();

  /// Bytes held from the upstream but not handed out (cached blocks, or the arena's free part).
  [[nodiscard]] std::uint64_t cached_bytes() const;
  /// Bytes currently taken from the upstream.
  [[nodiscard]] std::uint64_t held_bytes() const;
  /// Bytes handed out to callers and not yet returned (in reserve mode rounded to 64 B granules).
  [[nodiscard]] std::uint64_t in_use_bytes() const;
  [[nodiscard]] const PoolOptions& options() const noexcept { return options_; }
  [[nodiscard]] std::pmr::memory_resource* upstream() const noexcept { return upstream_; }

 private:
  struct BlockKey {
    std::size_t bytes;
    std::size_t alignment;
    bool operator==(const BlockKey&) const = default;
  };
  struct BlockKeyHash {
    std::size_t operator()(const BlockKey& key) const noexcept;
  };
  class Arena;

  void* do_allocate(std::size_t bytes, std::size_t alignment) override;
  void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) override;
  [[nodiscard]] bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override;

  void* allocate_from_upstream(std::size_t bytes, std::size_t alignment);
  /// Gives every cached block back to the upstream; returns the bytes released.
  std::uint64_t drop_cache();

  std::pmr::memory_resource* upstream_;
  PoolOptions options_;
  mutable std::mutex mutex_;
  std::unordered_map<BlockKey, std::vector<void*>, BlockKeyHash> cache_;
  std::uint64_t cached_bytes_ = 0;
  std::uint64_t held_bytes_ = 0;
  std::unique_ptr<Arena> arena_;  // only in reserve mode
};

}  // namespace sixg::mem
