// SystemProbe: /proc/meminfo, the cgroup levels and the process, combined into MemoryStatus.
#include "sixg/mem/system_probe.h"

#include <algorithm>
#include <utility>

#include "cgroup_reader.h"

namespace sixg::mem {

std::optional<SystemMemory> parse_meminfo(std::string_view text) {
  const auto total = detail::find_kib_field(text, "MemTotal");
  if (!total || *total == 0) return std::nullopt;
  auto available = detail::find_kib_field(text, "MemAvailable");
  if (!available) available = detail::find_kib_field(text, "MemFree");
  SystemMemory memory;
  memory.total_bytes = *total;
  memory.available_bytes = std::min(available.value_or(0), *total);
  const auto used = static_cast<double>(memory.total_bytes - memory.available_bytes);
  memory.used_percent = 100.0 * used / static_cast<double>(memory.total_bytes);
  return memory;
}

std::uint64_t effective_available(const SystemMemory& system, const std::optional<CgroupMemory>& binding) {
  if (!binding) return system.available_bytes;
  // total 0 means /proc/meminfo was unreadable: the cgroup is then the only bound known.
  if (system.total_bytes == 0) return binding->headroom_bytes();
  return std::min(system.available_bytes, binding->headroom_bytes());
}

std::optional<CgroupMemory> binding_level(const std::vector<CgroupMemory>& levels) {
  const auto least = std::min_element(levels.begin(), levels.end(), [](const CgroupMemory& a, const CgroupMemory& b) {
    return a.headroom_bytes() < b.headroom_bytes();
  });
  if (least == levels.end()) return std::nullopt;
  return *least;
}

SystemProbe::SystemProbe(std::filesystem::path root) : root_(std::move(root)) {}

SystemMemory SystemProbe::system_memory() const {
  const auto text = detail::read_text_file(detail::under_root(root_, "/proc/meminfo"));
  if (!text) return {};
  return parse_meminfo(*text).value_or(SystemMemory{});
}

std::vector<CgroupMemory> SystemProbe::cgroup_levels() const {
  std::vector<CgroupMemory> levels;
  for (const auto& location : locate_memory_cgroups(root_)) {
    auto more = read_cgroup_levels(location);
    levels.insert(levels.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  }
  return levels;
}

std::optional<CgroupMemory> SystemProbe::binding_cgroup() const { return binding_level(cgroup_levels()); }

ProcessMemory SystemProbe::process_memory() const {
  const auto text = detail::read_text_file(detail::under_root(root_, "/proc/self/status"));
  if (!text) return {};
  return parse_proc_status(*text).value_or(ProcessMemory{});
}

std::vector<GpuMemory> SystemProbe::gpus() const {
  // NVML describes the live machine; pairing it with a recorded tree would mix two machines.
  std::error_code ec;
  if (!std::filesystem::equivalent(root_, "/", ec)) return {};
  return query_gpu_memory();
}

MemoryStatus SystemProbe::status(bool include_gpus) const {
  MemoryStatus status;
  status.system = system_memory();
  status.cgroup = binding_cgroup();
  status.effective_available_bytes = effective_available(status.system, status.cgroup);
  status.process = process_memory();
  if (include_gpus) status.gpus = gpus();
  return status;
}

std::uint64_t SystemProbe::effective_available_bytes() const {
  return effective_available(system_memory(), binding_cgroup());
}

std::uint64_t effective_available_bytes() { return SystemProbe{}.effective_available_bytes(); }

}  // namespace sixg::mem
