#include "sixg/mem/pool_resource.h"

#include <cstdlib>
#include <functional>
#include <map>
#include <new>
#include <utility>

#include <unistd.h>

#include "sixg/mem/out_of_budget.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace sixg::mem {

namespace {

// Arena extents are kept in multiples of this, so every extent start stays cache-line aligned and
// freed neighbours always line up for coalescing.
constexpr std::uint64_t kArenaGranule = 64;
// The arena itself starts on a page boundary; larger alignments are honoured by padding.
constexpr std::size_t kArenaAlignment = 4096;

constexpr std::uint64_t round_up(std::uint64_t value, std::uint64_t multiple) {
  return (value + multiple - 1) / multiple * multiple;
}

void trim_heap() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

}  // namespace

// First-fit allocator over one contiguous region: free extents ordered by offset, merged with
// their neighbours on free. Not thread-safe by itself; the pool's mutex guards it.
class pool_resource::Arena {
 public:
  Arena(std::byte* base, std::uint64_t size) : base_(base), size_(size) { free_.emplace(0, size); }

  [[nodiscard]] std::byte* base() const { return base_; }
  [[nodiscard]] std::uint64_t size() const { return size_; }
  [[nodiscard]] std::uint64_t in_use() const { return in_use_; }

  /// nullptr when no free extent can hold the request.
  void* allocate(std::size_t bytes, std::size_t alignment) {
    const std::uint64_t need = extent_size(bytes);
    for (auto it = free_.begin(); it != free_.end(); ++it) {
      const auto [offset, length] = *it;
      const std::uintptr_t address = reinterpret_cast<std::uintptr_t>(base_ + offset);
      const std::uint64_t padding = round_up(address, alignment) - address;
      if (padding > length || length - padding < need) continue;
      free_.erase(it);
      // The padding is a whole number of granules (both address and alignment are granule
      // multiples once alignment >= 64), so it stays usable as a free extent.
      if (padding > 0) free_.emplace(offset, padding);
      const std::uint64_t tail = length - padding - need;
      if (tail > 0) free_.emplace(offset + padding + need, tail);
      in_use_ += need;
      return base_ + offset + padding;
    }
    return nullptr;
  }

  void deallocate(void* p, std::size_t bytes) {
    std::uint64_t offset = static_cast<std::uint64_t>(static_cast<std::byte*>(p) - base_);
    std::uint64_t length = extent_size(bytes);
    in_use_ -= length;
    auto next = free_.lower_bound(offset);
    if (next != free_.end() && offset + length == next->first) {
      length += next->second;
      next = free_.erase(next);
    }
    if (next != free_.begin()) {
      const auto previous = std::prev(next);
      if (previous->first + previous->second == offset) {
        previous->second += length;
        return;
      }
    }
    free_.emplace_hint(next, offset, length);
  }

 private:
  static std::uint64_t extent_size(std::size_t bytes) { return round_up(bytes == 0 ? 1 : bytes, kArenaGranule); }

  std::byte* base_;
  std::uint64_t size_;
  std::uint64_t in_use_ = 0;
  std::map<std::uint64_t, std::uint64_t> free_;  // offset -> length
};

std::size_t pool_resource::BlockKeyHash::operator()(const BlockKey& key) const noexcept {
  // Alignments are powers of two and small: folding their log into the top bits is collision-free
  // for any realistic size.
  return std::hash<std::size_t>{}(key.bytes ^ (key.alignment << 48));
}

pool_resource::pool_resource(std::pmr::memory_resource* upstream, PoolOptions options)
    : upstream_(upstream), options_(options) {
  if (options_.reserve_bytes == 0) return;
  // Exactly the reserve, not rounded up: a limiting_resource below may allow no byte more. A
  // trailing part smaller than a granule simply stays unused.
  const std::uint64_t size = options_.reserve_bytes;
  auto* base = static_cast<std::byte*>(upstream_->allocate(size, kArenaAlignment));
  // Write one byte per page: the kernel commits pages on first touch, and reserving means the
  // memory is the process's now, so a later shortage shows up here and not mid-simulation.
  const auto page = static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE) > 0 ? sysconf(_SC_PAGESIZE) : 4096);
  volatile std::byte* touch = base;
  for (std::uint64_t offset = 0; offset < size; offset += page) touch[offset] = std::byte{0};
  try {
    arena_ = std::make_unique<Arena>(base, size);
  } catch (...) {
    upstream_->deallocate(base, size, kArenaAlignment);
    throw;
  }
  held_bytes_ = size;
}

pool_resource::~pool_resource() {
  drop_cache();
  if (arena_) upstream_->deallocate(arena_->base(), arena_->size(), kArenaAlignment);
}

std::uint64_t pool_resource::release() {
  const std::uint64_t released = drop_cache();
  trim_heap();
  return released;
}

std::uint64_t pool_resource::cached_bytes() const {
  const std::lock_guard lock(mutex_);
  return arena_ ? arena_->size() - arena_->in_use() : cached_bytes_;
}

std::uint64_t pool_resource::held_bytes() const {
  const std::lock_guard lock(mutex_);
  return held_bytes_;
}

std::uint64_t pool_resource::in_use_bytes() const {
  const std::lock_guard lock(mutex_);
  return arena_ ? arena_->in_use() : held_bytes_ - cached_bytes_;
}

void* pool_resource::do_allocate(std::size_t bytes, std::size_t alignment) {
  if (arena_) {
    const std::lock_guard lock(mutex_);
    if (void* p = arena_->allocate(bytes, alignment)) return p;
    throw out_of_budget(bytes, arena_->in_use(), arena_->size());
  }
  {
    const std::lock_guard lock(mutex_);
    const auto it = cache_.find({bytes, alignment});
    if (it != cache_.end() && !it->second.empty()) {
      void* p = it->second.back();
      it->second.pop_back();
      cached_bytes_ -= bytes;
      return p;
    }
  }
  return allocate_from_upstream(bytes, alignment);
}

void* pool_resource::allocate_from_upstream(std::size_t bytes, std::size_t alignment) {
  void* p = nullptr;
  try {
    p = upstream_->allocate(bytes, alignment);
  } catch (const std::bad_alloc&) {
    // Cached blocks are held from the upstream (and count against its budget): giving them back
    // may be exactly the room this request needs. A second refusal is final.
    if (drop_cache() == 0) throw;
    p = upstream_->allocate(bytes, alignment);
  }
  const std::lock_guard lock(mutex_);
  held_bytes_ += bytes;
  return p;
}

void pool_resource::do_deallocate(void* p, std::size_t bytes, std::size_t alignment) {
  {
    const std::lock_guard lock(mutex_);
    if (arena_) {
      arena_->deallocate(p, bytes);
      return;
    }
    try {
      cache_[{bytes, alignment}].push_back(p);
      cached_bytes_ += bytes;
      return;
    } catch (const std::bad_alloc&) {
      // No memory for the cache's own bookkeeping: hand the block straight back instead.
    }
  }
  upstream_->deallocate(p, bytes, alignment);
  const std::lock_guard lock(mutex_);
  held_bytes_ -= bytes;
}

std::uint64_t pool_resource::drop_cache() {
  decltype(cache_) blocks;
  std::uint64_t released = 0;
  {
    // Account first, so in_use_bytes() (held - cached) never sees the blocks as handed out.
    const std::lock_guard lock(mutex_);
    blocks.swap(cache_);
    released = cached_bytes_;
    held_bytes_ -= released;
    cached_bytes_ = 0;
  }
  for (auto& [key, pointers] : blocks) {
    for (void* p : pointers) upstream_->deallocate(p, key.bytes, key.alignment);
  }
  return released;
}

bool pool_resource::do_is_equal(const std::pmr::memory_resource& other) const noexcept { return this == &other; }

}  // namespace sixg::mem
