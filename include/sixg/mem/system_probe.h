// SystemProbe: how much memory the machine has and how much this process may still use
// (DESIGN §2 "System probe", the `memory` object of DESIGN §4).
//
// Sources, all plain text files read under a root prefix ("/" live; a recorded tree in tests):
//   /proc/meminfo            MemTotal, MemAvailable
//   /proc/self/cgroup        the process's groups: v2 "0::/path", v1 "N:ctrl,memory:/path"
//   /proc/self/mountinfo     where the v1 memory hierarchy and the v2 hierarchy are mounted
//   <v2 mount>/<group>/      memory.max ("max" = no limit), memory.current
//   <v1 mount>/<group>/      memory.limit_in_bytes (>= 2^62 = no limit), memory.usage_in_bytes
//   /proc/self/status        VmRSS, VmHWM (process_memory.h)
// A group's ancestors limit it too, so every level up to the hierarchy's root is read. Whatever is
// missing or unparsable counts as "no limit at that level": the probe never throws.
//
// Effective available = min(MemAvailable, least (limit - usage) over the limited levels), clamped
// at 0: the most this process can allocate before the kernel reclaims or kills (DESIGN §4).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sixg/mem/gpu_probe.h"
#include "sixg/mem/process_memory.h"

namespace sixg::mem {

/// The machine's memory from /proc/meminfo, in bytes.
struct SystemMemory {
  std::uint64_t total_bytes = 0;      // MemTotal
  std::uint64_t available_bytes = 0;  // MemAvailable: allocatable without swapping
  double used_percent = 0.0;          // (total - available) / total * 100
};

/// One cgroup level that limits memory, in bytes.
struct CgroupMemory {
  std::uint64_t limit_bytes = 0;  // memory.max (v2) or memory.limit_in_bytes (v1)
  std::uint64_t usage_bytes = 0;  // memory.current (v2) or memory.usage_in_bytes (v1)
  std::string path;               // the group inside its hierarchy, e.g. "/process_api/7f6c"
  int version = 0;                // 1 or 2

  /// limit - usage, 0 once usage has reached the limit.
  [[nodiscard]] std::uint64_t headroom_bytes() const {
    return usage_bytes < limit_bytes ? limit_bytes - usage_bytes : 0;
  }
};

/// Everything `sixg memory` reports.
struct MemoryStatus {
  SystemMemory system;
  std::optional<CgroupMemory> cgroup;  // the binding level (least headroom); none when unlimited
  std::uint64_t effective_available_bytes = 0;
  ProcessMemory process;
  std::vector<GpuMemory> gpus;
};

/// Reads the memory state under a filesystem root. Each call reads the files afresh (the numbers
/// change all the time); nothing is cached. Cheap except for `gpus()` (an NVML initialisation).
class SystemProbe {
 public:
  explicit SystemProbe(std::filesystem::path root = "/");

  /// /proc/meminfo; zeros when it is unreadable.
  [[nodiscard]] SystemMemory system_memory() const;
  /// Every level with a memory limit, from the process's groups (v1 and v2) up to each root.
  [[nodiscard]] std::vector<CgroupMemory> cgroup_levels() const;
  /// The level with the least headroom; nullopt when no level has a limit.
  [[nodiscard]] std::optional<CgroupMemory> binding_cgroup() const;
  /// VmRSS and VmHWM of /proc/self/status; zeros when unreadable.
  [[nodiscard]] ProcessMemory process_memory() const;
  /// GPU memory through NVML. Only for the live root "/": a recorded tree has no GPUs to ask.
  [[nodiscard]] std::vector<GpuMemory> gpus() const;
  /// Everything at once (GPUs only when asked: they cost an NVML initialisation).
  [[nodiscard]] MemoryStatus status(bool include_gpus = true) const;
  /// What this process may still allocate (see the file comment); no GPU query.
  [[nodiscard]] std::uint64_t effective_available_bytes() const;

  [[nodiscard]] const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
};

/// Effective available bytes of the live system; what the allocator stack and the planner call.
/// Reads a handful of small /proc and cgroup files (tens of microseconds), no GPU query.
std::uint64_t effective_available_bytes();

// ---- Pure parsers and the pieces of the probe, exposed so tests can check each one ----------

/// Parses /proc/meminfo text. nullopt without a positive MemTotal. Kernels older than 3.14 lack
/// MemAvailable; MemFree stands in then (an underestimate, the safe side).
std::optional<SystemMemory> parse_meminfo(std::string_view text);

/// min(system available, binding level's headroom). A `system` with total 0 (meminfo unreadable)
/// contributes no bound: the headroom alone, or 0 when there is no cgroup either.
std::uint64_t effective_available(const SystemMemory& system, const std::optional<CgroupMemory>& binding);

/// The level with the least headroom (ties: the first); nullopt for an empty list.
std::optional<CgroupMemory> binding_level(const std::vector<CgroupMemory>& levels);

/// One line of /proc/<pid>/cgroup: "hierarchy-id:controller,list:/path".
struct CgroupMembership {
  unsigned hierarchy_id = 0;             // 0 for the v2 unified hierarchy
  std::vector<std::string> controllers;  // empty for v2; may hold "name=systemd" in v1
  std::string path;                      // "/" or "/a/b"
};
/// Parses /proc/<pid>/cgroup text, skipping malformed lines.
std::vector<CgroupMembership> parse_proc_cgroup(std::string_view text);

/// Where a cgroup hierarchy is mounted, from /proc/<pid>/mountinfo.
struct CgroupMount {
  std::string root;                   // the group shown at the mount point ("/" unless namespaced)
  std::filesystem::path mount_point;  // e.g. "/sys/fs/cgroup/memory"
};
/// The v1 hierarchy carrying the memory controller (fstype "cgroup", super options with "memory").
std::optional<CgroupMount> find_cgroup_v1_memory_mount(std::string_view mountinfo_text);
/// The first v2 (fstype "cgroup2") mount.
std::optional<CgroupMount> find_cgroup_v2_mount(std::string_view mountinfo_text);

/// A limit file's value: memory.max or memory.limit_in_bytes. nullopt means "no limit": "max",
/// values >= 2^62 (v1 writes 9223372036854771712 for unlimited), empty text or garbage.
std::optional<std::uint64_t> parse_cgroup_limit(std::string_view text);
/// A counter file's value (memory.current, memory.usage_in_bytes); nullopt for garbage.
std::optional<std::uint64_t> parse_cgroup_counter(std::string_view text);

/// One of the process's memory cgroups, located on the filesystem.
struct CgroupLocation {
  int version = 0;                   // 1 (memory controller hierarchy) or 2 (unified)
  std::string path;                  // the group inside its hierarchy
  std::filesystem::path mount_dir;   // the hierarchy's mount point under the probe's root
  std::filesystem::path directory;   // the group's directory, under mount_dir
};
/// The process's v1 memory group and v2 group under `root` (either may be absent). When the path
/// from /proc/self/cgroup does not exist under the mount (a cgroup namespace, a container), the
/// mount point itself is taken as the group.
std::vector<CgroupLocation> locate_memory_cgroups(const std::filesystem::path& root);

/// Every limited level from `location.directory` up to `location.mount_dir` (inclusive).
std::vector<CgroupMemory> read_cgroup_levels(const CgroupLocation& location);

}  // namespace sixg::mem
