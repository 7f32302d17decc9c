// huge_page_resource: the bottom of the allocator stack when MemoryConfig::huge_pages is set
// (`sixg simulate --huge-pages`): where memory comes from the system.
//
// Blocks of at least 2 MiB (every batch tensor of a real scenario) are mapped straight from the kernel
// (mmap) at a 2 MiB boundary and advised for transparent huge pages (madvise(MADV_HUGEPAGE)); smaller
// blocks come from std::pmr::new_delete_resource(). Why: the kernels walk megabyte tensors in rows 4 KiB
// apart, so on 4 KiB pages many row reads miss the TLB; on 2 MiB pages a frame's tensor is a handful of
// entries. Measured (bench/RESULTS.md, "Huge pages"): 1.05x coded and 1.09x uncoded in steady state,
// but the first touch can cost the kernel's page compaction (up to 0.4 s for 200 MB on a fragmented
// machine with THP defrag=madvise), which is why it is an option for long runs and not the default.
//
// What it maps is the request rounded up to whole pages, no more (the alignment slack is unmapped again),
// so the memory the process can touch exceeds what limiting_resource above counted by less than a page
// per block: the budget stays the truth. Only the 2 MiB-aligned whole stretches of a block can get huge
// pages; where THP is off ("never") the advice is ignored. Sanitizer builds (and non-Linux systems) take
// every block from operator new, so that AddressSanitizer keeps guarding the tensors' bounds.
#pragma once

#include <cstddef>
#include <memory_resource>

namespace sixg::mem {

class huge_page_resource final : public std::pmr::memory_resource {
 public:
  /// Blocks of this size or more get their own huge-page mapping.
  static constexpr std::size_t kHugePageBytes = std::size_t{2} << 20;

  /// Whether a request of this size and alignment is mapped on its own (false in sanitizer builds).
  [[nodiscard]] static bool maps(std::size_t bytes, std::size_t alignment) noexcept;

 private:
  void* do_allocate(std::size_t bytes, std::size_t alignment) override;
  void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) override;
  [[nodiscard]] bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override;
};

/// The process-wide huge_page_resource (as std::pmr::new_delete_resource() is for operator new).
std::pmr::memory_resource* huge_page_system_resource() noexcept;

}  // namespace sixg::mem
