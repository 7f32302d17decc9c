// GPU memory through NVIDIA's management library (NVML), loaded with dlopen only when present.
//
// sixg does not link against NVML: a machine without the NVIDIA driver simply has no GPUs, which
// is a normal answer, never an error (DESIGN §2).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sixg::mem {

/// One GPU's device memory as NVML reports it, in bytes.
struct GpuMemory {
  int index = 0;     // NVML device index
  std::string name;  // e.g. "NVIDIA H100 80GB HBM3"
  std::uint64_t total_bytes = 0;
  std::uint64_t used_bytes = 0;
  std::uint64_t free_bytes = 0;
};

/// The NVML library sixg looks for (the driver installs it under this soname).
inline constexpr const char* kNvmlLibrary = "libnvidia-ml.so.1";

/// Queries every GPU's memory. Returns an empty list when `library` cannot be loaded, a symbol is
/// missing, or any NVML call fails; never throws. Costs an NVML initialisation (tens to hundreds
/// of milliseconds with a driver present), so hot paths must not call it.
std::vector<GpuMemory> query_gpu_memory(const char* library = kNvmlLibrary);

}  // namespace sixg::mem
