#include "sixg/mem/huge_page_resource.h"

#include <cstdint>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace sixg::mem {

namespace {

#if defined(__linux__) && !defined(SIXG_SANITIZE)
constexpr bool kMapsHugePages = true;
#else
constexpr bool kMapsHugePages = false;
#endif

std::size_t page_bytes() noexcept {
#if defined(__linux__)
  static const std::size_t page = sysconf(_SC_PAGESIZE) > 0 ? static_cast<std::size_t>(sysconf(_SC_PAGESIZE)) : 4096;
  return page;
#else
  return 4096;
#endif
}

constexpr std::uintptr_t round_up(std::uintptr_t value, std::uintptr_t multiple) {
  return (value + multiple - 1) / multiple * multiple;
}

}  // namespace

bool huge_page_resource::maps(std::size_t bytes, std::size_t alignment) noexcept {
  return kMapsHugePages && bytes >= kHugePageBytes && alignment <= kHugePageBytes;
}

void* huge_page_resource::do_allocate(std::size_t bytes, std::size_t alignment) {
  if (!maps(bytes, alignment)) return std::pmr::new_delete_resource()->allocate(bytes, alignment);
#if defined(__linux__)
  // The page and huge-page round-ups below must not wrap (a limitless MemoryManager passes any size).
  if (bytes > SIZE_MAX - 2 * kHugePageBytes) throw std::bad_alloc();
  const std::size_t length = round_up(bytes, page_bytes());
  // One huge page more than needed, so that a 2 MiB boundary lies within the first huge page; the
  // slack on either side is given back at once.
  const std::size_t span = length + kHugePageBytes;
  void* raw = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const auto first = reinterpret_cast<std::uintptr_t>(raw);
  const std::uintptr_t start = round_up(first, kHugePageBytes);
  if (const std::size_t head = start - first; head > 0) munmap(raw, head);
  if (const std::size_t tail = span - (start - first) - length; tail > 0) {
    munmap(reinterpret_cast<void*>(start + length), tail);
  }
  // Advice only: where transparent huge pages are off it fails harmlessly and 4 KiB pages serve.
  madvise(reinterpret_cast<void*>(start), length, MADV_HUGEPAGE);
  return reinterpret_cast<void*>(start);
#else
  return nullptr;  // unreachable: maps() is false off Linux
#endif
}

void huge_page_resource::do_deallocate(void* p, std::size_t bytes, std::size_t alignment) {
  if (!maps(bytes, alignment)) {
    std::pmr::new_delete_resource()->deallocate(p, bytes, alignment);
    return;
  }
#if defined(__linux__)
  munmap(p, round_up(bytes, page_bytes()));
#endif
}

bool huge_page_resource::do_is_equal(const std::pmr::memory_resource& other) const noexcept {
  // Stateless: any instance frees what another allocated.
  return dynamic_cast<const huge_page_resource*>(&other) != nullptr;
}

std::pmr::memory_resource* huge_page_system_resource() noexcept {
  static huge_page_resource resource;
  return &resource;
}

}  // namespace sixg::mem
