// huge_page_resource (the allocator stack's bottom under --huge-pages): large blocks sit on their own
// 2 MiB-aligned mapping of exactly the requested pages (nothing mapped around it that the budget did not
// count), advised for transparent huge pages; small blocks and over-aligned ones come from operator new;
// everything is writable and given back. Sanitizer builds map nothing themselves (ASan must see every
// tensor), so the mapping checks skip there.
#include "sixg/mem/huge_page_resource.h"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <memory_resource>
#include <new>
#include <sstream>
#include <string>

namespace {

using sixg::mem::huge_page_resource;

const std::size_t kPage = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));

/// Whether [p, p + bytes) is mapped in this process (msync fails with ENOMEM on an unmapped range).
bool mapped(const void* p, std::size_t bytes) {
  return msync(const_cast<void*>(p), bytes, MS_ASYNC) == 0 || errno != ENOMEM;
}

/// The "THPeligible:" value of the mapping that contains p in /proc/self/smaps, or -1.
int thp_eligible(const void* p) {
  std::ifstream smaps("/proc/self/smaps");
  const auto address = reinterpret_cast<std::uintptr_t>(p);
  bool inside = false;
  for (std::string line; std::getline(smaps, line);) {
    std::uintptr_t begin = 0, end = 0;
    char dash = 0;
    std::istringstream head(line);
    if (head >> std::hex >> begin >> dash >> end && dash == '-') {
      inside = begin <= address && address < end;
      continue;
    }
    if (inside && line.rfind("THPeligible:", 0) == 0) return std::stoi(line.substr(12));
  }
  return -1;
}

/// THP in "madvise" mode: only then does THPeligible show that the block was advised.
bool transparent_huge_pages_on_advice() {
  std::ifstream f("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string modes;
  std::getline(f, modes);
  return modes.find("[madvise]") != std::string::npos;
}

TEST(HugePageResource, MapsALargeBlockAlone2MiBAlignedAndExactlyItsPages) {
  huge_page_resource resource;
  const std::size_t bytes = 3 * huge_page_resource::kHugePageBytes + 100;  // not a whole number of pages
  if (!huge_page_resource::maps(bytes, 64)) GTEST_SKIP() << "this build takes every block from operator new";
  auto* p = static_cast<unsigned char*>(resource.allocate(bytes, 64));
  const std::size_t length = (bytes + kPage - 1) / kPage * kPage;
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p) % huge_page_resource::kHugePageBytes, 0u);
  EXPECT_TRUE(mapped(p, length));
  // The alignment slack was given back: the page after the block is not mapped. (The tail slack is never
  // empty; the head slack is, whenever the kernel already aligned the mapping, so the page before the block
  // proves nothing and may belong to another mapping.)
  EXPECT_FALSE(mapped(p + length, kPage)) << "the tail slack is still mapped";
  std::memset(p, 0x5a, bytes);  // every byte writable
  EXPECT_EQ(p[bytes - 1], 0x5a);
  if (const int eligible = thp_eligible(p); transparent_huge_pages_on_advice() && eligible >= 0) {
    EXPECT_EQ(eligible, 1) << "the block was not advised for THP";
  }
  resource.deallocate(p, bytes, 64);
  EXPECT_FALSE(mapped(p, kPage)) << "the block was not given back";
}

TEST(HugePageResource, SmallAndOverAlignedBlocksComeFromOperatorNew) {
  huge_page_resource resource;
  EXPECT_FALSE(huge_page_resource::maps(huge_page_resource::kHugePageBytes - 1, 64));
  EXPECT_FALSE(huge_page_resource::maps(huge_page_resource::kHugePageBytes, 2 * huge_page_resource::kHugePageBytes));
  for (const std::size_t alignment : {std::size_t{8}, std::size_t{64}, std::size_t{4096}}) {
    void* p = resource.allocate(1000, alignment);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p) % alignment, 0u);
    std::memset(p, 1, 1000);
    resource.deallocate(p, 1000, alignment);
  }
  const std::size_t big_alignment = 2 * huge_page_resource::kHugePageBytes;
  void* p = resource.allocate(huge_page_resource::kHugePageBytes, big_alignment);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p) % big_alignment, 0u);
  resource.deallocate(p, huge_page_resource::kHugePageBytes, big_alignment);
}

TEST(HugePageResource, AnyInstanceFreesWhatAnotherAllocated) {
  huge_page_resource other;
  EXPECT_TRUE(sixg::mem::huge_page_system_resource()->is_equal(other));
  EXPECT_FALSE(other.is_equal(*std::pmr::new_delete_resource()));
  const std::size_t bytes = huge_page_resource::kHugePageBytes + 1;
  void* p = sixg::mem::huge_page_system_resource()->allocate(bytes, 64);
  other.deallocate(p, bytes, 64);
}

TEST(HugePageResource, RefusesASizeWhoseRoundingWouldWrap) {
  huge_page_resource resource;
  if (!huge_page_resource::maps(SIZE_MAX - 1, 64)) GTEST_SKIP() << "this build takes every block from operator new";
  EXPECT_THROW((void)resource.allocate(SIZE_MAX - 1, 64), std::bad_alloc);
}

}  // namespace
