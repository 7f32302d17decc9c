// out_of_budget: the typed error every sixg allocator throws when a memory budget would be exceeded.
//
// It is a std::bad_alloc, so code that only knows the standard library still sees an allocation
// failure, while the batch planner and the CLI can catch it and read the numbers (DESIGN §2): what
// was asked for, what was already in use under that budget, and the budget itself.
#pragma once

#include <cstdint>
#include <memory>
#include <new>
#include <string>

#include "sixg/mem/byte_size.h"

namespace sixg::mem {

class out_of_budget : public std::bad_alloc {
 public:
  out_of_budget(std::uint64_t requested_bytes, std::uint64_t in_use_bytes, std::uint64_t limit_bytes)
      : requested_(requested_bytes),
        in_use_(in_use_bytes),
        limit_(limit_bytes),
        // Shared so that copying the exception (as `throw` and `catch` by value do) cannot throw.
        message_(std::make_shared<const std::string>(
            "out of memory budget: requested " + format_bytes(requested_bytes) + " with " +
            format_bytes(in_use_bytes) + " already in use exceeds the limit of " + format_bytes(limit_bytes))) {}

  [[nodiscard]] const char* what() const noexcept override { return message_->c_str(); }

  /// Bytes of the allocation that did not fit.
  [[nodiscard]] std::uint64_t requested_bytes() const noexcept { return requested_; }
  /// Bytes already held under the budget when the request arrived.
  [[nodiscard]] std::uint64_t in_use_bytes() const noexcept { return in_use_; }
  /// The budget that in_use + requested would have exceeded.
  [[nodiscard]] std::uint64_t limit_bytes() const noexcept { return limit_; }

 private:
  std::uint64_t requested_;
  std::uint64_t in_use_;
  std::uint64_t limit_;
  std::shared_ptr<const std::string> message_;
};

}  // namespace sixg::mem
