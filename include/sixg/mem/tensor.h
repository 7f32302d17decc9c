// Tensor: named, shaped, typed storage drawn from a std::pmr::memory_resource.
//
// Every buffer of the simulation pipeline is a Tensor allocated through the memory manager's
// resource stack (DESIGN §2), so the statistics adaptor sees exactly what the pipeline holds and
// the estimator's inventory (name, shape, dtype) can be compared 1:1 with what was allocated.
// Layout is dense, row-major, batch-first: element (i0, i1, ..., in) sits at the usual row-major
// offset; frame(b) is the contiguous slice of batch entry b.
#pragma once

#include <complex>
#include <cstddef>
#include <cstdint>
#include <memory_resource>
#include <numeric>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sixg::mem {

using Shape = std::vector<std::size_t>;

/// Element type names as they appear in `sixg estimate --json` (DESIGN §4).
template <class T> constexpr std::string_view dtype_name();
template <> constexpr std::string_view dtype_name<std::complex<float>>() { return "complex64"; }
template <> constexpr std::string_view dtype_name<float>() { return "float32"; }
template <> constexpr std::string_view dtype_name<std::int16_t>() { return "int16"; }
template <> constexpr std::string_view dtype_name<std::int8_t>() { return "int8"; }
template <> constexpr std::string_view dtype_name<std::uint8_t>() { return "uint8"; }

inline std::size_t num_elements(const Shape& shape) {
  return std::accumulate(shape.begin(), shape.end(), std::size_t{1}, std::multiplies<>{});
}

/// Alignment of every tensor's storage: a cache line, enough for any SIMD width we use.
inline constexpr std::size_t kTensorAlignment = 64;

template <class T>
class Tensor {
 public:
  Tensor() = default;

  /// Allocates num_elements(shape) elements from `resource` and value-initialises them.
  /// Throws whatever the resource throws (sixg::mem::out_of_budget over the budget).
  Tensor(std::string name, Shape shape, std::pmr::memory_resource* resource)
      : name_(std::move(name)), shape_(std::move(shape)), resource_(resource), size_(num_elements(shape_)) {
    if (size_ > 0) {
      data_ = static_cast<T*>(resource_->allocate(bytes(), kTensorAlignment));
      std::uninitialized_value_construct_n(data_, size_);
    }
  }

  Tensor(const Tensor&) = delete;
  Tensor& operator=(const Tensor&) = delete;
  Tensor(Tensor&& other) noexcept { swap(other); }
  Tensor& operator=(Tensor&& other) noexcept {
    Tensor(std::move(other)).swap(*this);
    return *this;
  }
  ~Tensor() { reset(); }

  void swap(Tensor& other) noexcept {
    std::swap(name_, other.name_);
    std::swap(shape_, other.shape_);
    std::swap(resource_, other.resource_);
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
  }

  /// Returns the storage to its resource; the tensor becomes empty.
  void reset() noexcept {
    if (data_ != nullptr) {
      std::destroy_n(data_, size_);
      resource_->deallocate(data_, bytes(), kTensorAlignment);
    }
    data_ = nullptr;
    size_ = 0;
    shape_.clear();
  }

  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] const Shape& shape() const { return shape_; }
  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] std::size_t bytes() const { return size_ * sizeof(T); }
  [[nodiscard]] static constexpr std::string_view dtype() { return dtype_name<T>(); }
  [[nodiscard]] bool empty() const { return size_ == 0; }

  [[nodiscard]] T* data() { return data_; }
  [[nodiscard]] const T* data() const { return data_; }
  [[nodiscard]] std::span<T> span() { return {data_, size_}; }
  [[nodiscard]] std::span<const T> span() const { return {data_, size_}; }

  /// Elements per entry of the leading (batch) axis.
  [[nodiscard]] std::size_t frame_size() const { return shape_.empty() || shape_[0] == 0 ? 0 : size_ / shape_[0]; }
  /// The contiguous slice of batch entry b (row-major, batch-first).
  [[nodiscard]] std::span<T> frame(std::size_t b) { return span().subspan(b * frame_size(), frame_size()); }
  [[nodiscard]] std::span<const T> frame(std::size_t b) const {
    return span().subspan(b * frame_size(), frame_size());
  }

 private:
  std::string name_;
  Shape shape_;
  std::pmr::memory_resource* resource_ = nullptr;
  T* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace sixg::mem
