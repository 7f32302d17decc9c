// GPU memory through NVML, loaded with dlopen so that sixg runs (and builds) without the driver.
#include "sixg/mem/gpu_probe.h"

#include <dlfcn.h>

#include <array>
#include <cstring>

namespace sixg::mem {
namespace {

// The few NVML declarations sixg needs, as nvml.h declares them (stable C ABI since CUDA 5).
using nvmlReturn_t = int;
constexpr nvmlReturn_t kNvmlSuccess = 0;
struct nvmlDevice_st;
using nvmlDevice_t = nvmlDevice_st*;
struct nvmlMemory_t {
  unsigned long long total;
  unsigned long long free;
  unsigned long long used;
};
constexpr unsigned kNvmlNameBufferSize = 96;  // NVML_DEVICE_NAME_V2_BUFFER_SIZE, large enough for v1 too

using InitFn = nvmlReturn_t (*)();
using ShutdownFn = nvmlReturn_t (*)();
using GetCountFn = nvmlReturn_t (*)(unsigned*);
using GetHandleFn = nvmlReturn_t (*)(unsigned, nvmlDevice_t*);
using GetNameFn = nvmlReturn_t (*)(nvmlDevice_t, char*, unsigned);
using GetMemoryFn = nvmlReturn_t (*)(nvmlDevice_t, nvmlMemory_t*);

/// Owns the dlopen handle.
class SharedLibrary {
 public:
  explicit SharedLibrary(const char* name) : handle_(::dlopen(name, RTLD_NOW | RTLD_LOCAL)) {}
  ~SharedLibrary() {
    if (handle_ != nullptr) ::dlclose(handle_);
  }
  SharedLibrary(const SharedLibrary&) = delete;
  SharedLibrary& operator=(const SharedLibrary&) = delete;

  [[nodiscard]] bool loaded() const { return handle_ != nullptr; }

  /// The function `name` as type Fn, or nullptr. dlsym returns an object pointer; POSIX
  /// guarantees it converts to a function pointer, and memcpy states that without a cast ISO C++
  /// leaves conditionally supported.
  template <class Fn>
  [[nodiscard]] Fn function(const char* name) const {
    void* address = ::dlsym(handle_, name);
    Fn fn = nullptr;
    static_assert(sizeof fn == sizeof address);
    std::memcpy(&fn, &address, sizeof fn);
    return fn;
  }

 private:
  void* handle_;
};

struct NvmlApi {
  InitFn init = nullptr;
  ShutdownFn shutdown = nullptr;
  GetCountFn get_count = nullptr;
  GetHandleFn get_handle = nullptr;
  GetNameFn get_name = nullptr;
  GetMemoryFn get_memory = nullptr;

  [[nodiscard]] bool complete() const {
    return init && shutdown && get_count && get_handle && get_name && get_memory;
  }
};

std::vector<GpuMemory> query_devices(const NvmlApi& nvml) {
  unsigned count = 0;
  if (nvml.get_count(&count) != kNvmlSuccess) return {};
  std::vector<GpuMemory> gpus;
  for (unsigned i = 0; i < count; ++i) {
    nvmlDevice_t device = nullptr;
    nvmlMemory_t memory{};
    std::array<char, kNvmlNameBufferSize> name{};
    // One failing device (e.g. lost from the bus) means the answer is not trustworthy: report none.
    if (nvml.get_handle(i, &device) != kNvmlSuccess || nvml.get_memory(device, &memory) != kNvmlSuccess ||
        nvml.get_name(device, name.data(), static_cast<unsigned>(name.size())) != kNvmlSuccess) {
      return {};
    }
    name.back() = '\0';
    gpus.push_back(GpuMemory{static_cast<int>(i), name.data(), memory.total, memory.used, memory.free});
  }
  return gpus;
}

}  // namespace

std::vector<GpuMemory> query_gpu_memory(const char* library) {
  SharedLibrary nvml_library(library);
  if (!nvml_library.loaded()) return {};
  NvmlApi nvml;
  nvml.init = nvml_library.function<InitFn>("nvmlInit_v2");
  nvml.shutdown = nvml_library.function<ShutdownFn>("nvmlShutdown");
  nvml.get_count = nvml_library.function<GetCountFn>("nvmlDeviceGetCount_v2");
  nvml.get_handle = nvml_library.function<GetHandleFn>("nvmlDeviceGetHandleByIndex_v2");
  nvml.get_name = nvml_library.function<GetNameFn>("nvmlDeviceGetName");
  nvml.get_memory = nvml_library.function<GetMemoryFn>("nvmlDeviceGetMemoryInfo");
  if (!nvml.complete() || nvml.init() != kNvmlSuccess) return {};
  std::vector<GpuMemory> gpus;
  try {
    gpus = query_devices(nvml);
  } catch (...) {  // only bad_alloc can get here; NVML must still be shut down, and "no GPUs" is the answer
    gpus.clear();
  }
  nvml.shutdown();
  return gpus;
}

}  // namespace sixg::mem
