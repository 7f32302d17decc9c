// warning_resource: reports single allocations that are large compared with the memory left.
//
// Passes every request to its upstream unchanged. A request of at least 1 MiB is compared with
// `fraction` × the *current* available memory (asked from options.available_bytes at that moment,
// so the threshold follows the machine, not a number taken at start-up); above it, one line goes
// to options.sink, e.g.
//   warning: allocation of 2701131776 bytes (2.52 GiB) exceeds 10% of available memory (20.10 GiB)
// Requests under 1 MiB never reach the check (no system call on the common path). Rate-limited:
// at most options.max_warnings lines per resource lifetime and never twice for the same size (the
// pipeline repeats its sizes every batch); nothing at all while disabled. Thread-safe.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory_resource>
#include <mutex>
#include <string_view>
#include <unordered_set>

namespace sixg::mem {

struct WarningOptions {
  bool enabled = true;
  double fraction = 0.10;  // of the available memory at the time of the request
  int max_warnings = 3;    // per resource lifetime
  /// The available memory now, in bytes (in sixg: effective_available_bytes()). Without it the
  /// resource has nothing to compare with and never warns.
  std::function<std::uint64_t()> available_bytes;
  /// Where warning lines go (without a trailing newline); empty means stderr.
  std::function<void(std::string_view)> sink;
};

class warning_resource final : public std::pmr::memory_resource {
 public:
  /// Requests below this size are never checked.
  static constexpr std::size_t kMinCheckedBytes = std::size_t{1} << 20;

  /// `upstream` must outlive this resource. Throws std::invalid_argument for a fraction outside
  /// (0, 1] or a negative max_warnings.
  warning_resource(std::pmr::memory_resource* upstream, WarningOptions options);

  warning_resource(const warning_resource&) = delete;
  warning_resource& operator=(const warning_resource&) = delete;

  /// Suppresses (false) or re-enables (true) the warnings from now on.
  void set_enabled(bool enabled) noexcept { enabled_.store(enabled, std::memory_order_relaxed); }
  [[nodiscard]] bool enabled() const noexcept { return enabled_.load(std::memory_order_relaxed); }
  [[nodiscard]] int warnings_issued() const;
  [[nodiscard]] std::pmr::memory_resource* upstream() const noexcept { return upstream_; }

 private:
  void* do_allocate(std::size_t bytes, std::size_t alignment) override;
  void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) override;
  [[nodiscard]] bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override;

  void check(std::size_t bytes);

  std::pmr::memory_resource* upstream_;
  WarningOptions options_;
  std::atomic<bool> enabled_;
  // Cheap early-out once the quota is spent, so large requests stop calling available_bytes.
  std::atomic<bool> quota_left_;
  mutable std::mutex mutex_;
  int warnings_issued_ = 0;
  std::unordered_set<std::size_t> warned_sizes_;
};

}  // namespace sixg::mem
