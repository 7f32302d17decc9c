// Finding the process's memory cgroups and reading the limits of every level up to the root;
// also the small file-reading helpers the probe shares (cgroup_reader.h).
#include "cgroup_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <iterator>
#include <system_error>

#include "sixg/mem/system_probe.h"

namespace sixg::mem {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

/// Calls f(line) for every line of `text` (without its '\n').
template <class F>
void for_each_line(std::string_view text, F&& f) {
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    f(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
}

std::vector<std::string_view> split(std::string_view s, char separator) {
  std::vector<std::string_view> parts;
  for (;;) {
    const std::size_t at = s.find(separator);
    parts.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return parts;
    s.remove_prefix(at + 1);
  }
}

/// A whole string of decimal digits as uint64; nullopt for anything else (sign, spaces, overflow).
std::optional<std::uint64_t> parse_decimal(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::uint64_t value = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
  return value;
}

/// mountinfo writes space, tab, newline and backslash in paths as a backslash and three octal
/// digits ("\040"), so that fields stay space-separated.
std::string unescape_mount_path(std::string_view s) {
  const auto is_octal = [](char c) { return c >= '0' && c <= '7'; };
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && is_octal(s[i + 1]) && is_octal(s[i + 2]) && is_octal(s[i + 3])) {
      out.push_back(static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0')));
      i += 3;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

/// Calls f(root, mount_point, fstype, super_options) for every well-formed mountinfo line:
/// "id parent major:minor root mount_point options [optional fields...] - fstype source super_options".
template <class F>
void for_each_mount(std::string_view mountinfo_text, F&& f) {
  for_each_line(mountinfo_text, [&](std::string_view line) {
    const std::vector<std::string_view> fields = split(trim(line), ' ');
    std::size_t dash = 6;  // the optional fields end at a lone "-"
    while (dash < fields.size() && fields[dash] != "-") ++dash;
    if (dash + 3 >= fields.size()) return;
    f(fields[3], fields[4], fields[dash + 1], fields[dash + 3]);
  });
}

// Where each version keeps its files, and where its hierarchy usually sits when mountinfo is unreadable.
struct HierarchyFiles {
  const char* limit;
  const char* usage;
  const char* default_mount;
};
constexpr HierarchyFiles kV1Files{"memory.limit_in_bytes", "memory.usage_in_bytes", "/sys/fs/cgroup/memory"};
constexpr HierarchyFiles kV2Files{"memory.max", "memory.current", "/sys/fs/cgroup"};

const HierarchyFiles& files_of(int version) { return version == 1 ? kV1Files : kV2Files; }

/// Maps a group path of /proc/self/cgroup onto its directory under the mount. The mount shows
/// the hierarchy from `mount.root` down, so that prefix is cut; a path that does not lie below it,
/// climbs with "..", or does not exist (a cgroup namespace shows paths relative to the namespace
/// root, which need not match the mount) falls back to the mount point itself.
CgroupLocation locate(int version, const std::string& group_path, const CgroupMount& mount,
                      const std::filesystem::path& root) {
  CgroupLocation location;
  location.version = version;
  location.mount_dir = detail::under_root(root, mount.mount_point);

  std::string_view relative = group_path;
  const std::string_view mount_root = mount.root == "/" ? std::string_view{} : std::string_view{mount.root};
  bool below_mount_root = true;
  if (!mount_root.empty()) {
    below_mount_root = relative.substr(0, mount_root.size()) == mount_root &&
                       (relative.size() == mount_root.size() || relative[mount_root.size()] == '/');
    if (below_mount_root) relative.remove_prefix(mount_root.size());
  }
  while (!relative.empty() && relative.front() == '/') relative.remove_prefix(1);
  while (!relative.empty() && relative.back() == '/') relative.remove_suffix(1);

  const std::filesystem::path relative_path{relative};
  bool usable = below_mount_root;
  for (const auto& part : relative_path) usable = usable && part != "..";
  std::error_code ec;
  if (usable && !relative.empty()) usable = std::filesystem::is_directory(location.mount_dir / relative_path, ec);

  if (usable) {
    location.directory = relative.empty() ? location.mount_dir : location.mount_dir / relative_path;
    location.path = group_path;
  } else {
    location.directory = location.mount_dir;
    location.path = mount_root.empty() ? "/" : std::string(mount_root);
  }
  return location;
}

}  // namespace

namespace detail {

std::optional<std::string> read_text_file(const std::filesystem::path& path, std::size_t max_bytes) {
  // O_NONBLOCK: a FIFO in a recorded tree must not hang the probe; regular files ignore it.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return std::nullopt;
  std::string text;
  char buffer[4096];
  bool ok = true;
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      ok = false;  // e.g. EISDIR for a directory
      break;
    }
    text.append(buffer, static_cast<std::size_t>(n));
    if (text.size() > max_bytes) {
      ok = false;  // not the small kernel file we expected
      break;
    }
  }
  ::close(fd);
  if (!ok) return std::nullopt;
  return text;
}

std::filesystem::path under_root(const std::filesystem::path& root, const std::filesystem::path& path) {
  return root / path.relative_path();
}

std::optional<std::uint64_t> find_kib_field(std::string_view text, std::string_view key) {
  std::optional<std::uint64_t> result;
  bool found = false;
  for_each_line(text, [&](std::string_view line) {
    if (found || line.size() <= key.size() || line.substr(0, key.size()) != key || line[key.size()] != ':') {
      return;
    }
    found = true;  // the first line with the key decides, even when it is malformed
    std::string_view value = trim(line.substr(key.size() + 1));
    // The memory fields are all in kB (the kernel's name for KiB); anything else is not a value
    // this parser understands.
    if (value.size() < 2 || value.substr(value.size() - 2) != "kB") return;
    const auto kib = parse_decimal(trim(value.substr(0, value.size() - 2)));
    if (!kib || *kib > (UINT64_MAX >> 10)) return;
    result = *kib << 10;
  });
  return result;
}

}  // namespace detail

std::vector<CgroupMembership> parse_proc_cgroup(std::string_view text) {
  std::vector<CgroupMembership> memberships;
  for_each_line(text, [&](std::string_view line) {
    line = trim(line);
    // The path may itself contain ':', so only the first two separate fields.
    const std::size_t first = line.find(':');
    if (first == std::string_view::npos) return;
    const std::size_t second = line.find(':', first + 1);
    if (second == std::string_view::npos) return;
    const auto id = parse_decimal(line.substr(0, first));
    const std::string_view path = line.substr(second + 1);
    if (!id || *id > UINT32_MAX || path.empty() || path.front() != '/') return;
    CgroupMembership membership;
    membership.hierarchy_id = static_cast<unsigned>(*id);
    const std::string_view controllers = line.substr(first + 1, second - first - 1);
    if (!controllers.empty()) {
      for (const auto name : split(controllers, ',')) membership.controllers.emplace_back(name);
    }
    membership.path = std::string(path);
    memberships.push_back(std::move(membership));
  });
  return memberships;
}

std::optional<CgroupMount> find_cgroup_v1_memory_mount(std::string_view mountinfo_text) {
  std::optional<CgroupMount> found;
  for_each_mount(mountinfo_text, [&](std::string_view root, std::string_view mount_point, std::string_view fstype,
                                     std::string_view super_options) {
    if (found || fstype != "cgroup") return;
    for (const auto option : split(super_options, ',')) {
      if (option == "memory") {
        found = CgroupMount{unescape_mount_path(root), unescape_mount_path(mount_point)};
        return;
      }
    }
  });
  return found;
}

std::optional<CgroupMount> find_cgroup_v2_mount(std::string_view mountinfo_text) {
  std::optional<CgroupMount> found;
  for_each_mount(mountinfo_text, [&](std::string_view root, std::string_view mount_point, std::string_view fstype,
                                     std::string_view /*super_options*/) {
    if (!found && fstype == "cgroup2") found = CgroupMount{unescape_mount_path(root), unescape_mount_path(mount_point)};
  });
  return found;
}

std::optional<std::uint64_t> parse_cgroup_counter(std::string_view text) { return parse_decimal(trim(text)); }

std::optional<std::uint64_t> parse_cgroup_limit(std::string_view text) {
  // v1 reports "unlimited" as LONG_MAX rounded down to a page (9223372036854771712); no real
  // machine has 2^62 bytes, so anything that large is "no limit" in either version.
  constexpr std::uint64_t kUnlimited = std::uint64_t{1} << 62;
  const auto value = parse_cgroup_counter(text);
  if (!value || *value >= kUnlimited) return std::nullopt;
  return value;
}

std::vector<CgroupLocation> locate_memory_cgroups(const std::filesystem::path& root) {
  const auto cgroup_text = detail::read_text_file(detail::under_root(root, "/proc/self/cgroup"));
  if (!cgroup_text) return {};
  std::optional<std::string> mountinfo;  // read only when a membership needs it
  bool mountinfo_read = false;
  const auto mount_for = [&](int version) {
    if (!mountinfo_read) {
      mountinfo = detail::read_text_file(detail::under_root(root, "/proc/self/mountinfo"));
      mountinfo_read = true;
    }
    std::optional<CgroupMount> mount;
    if (mountinfo) mount = version == 1 ? find_cgroup_v1_memory_mount(*mountinfo) : find_cgroup_v2_mount(*mountinfo);
    return mount.value_or(CgroupMount{"/", files_of(version).default_mount});
  };

  std::vector<CgroupLocation> locations;
  bool have_v1 = false;
  bool have_v2 = false;
  for (const auto& membership : parse_proc_cgroup(*cgroup_text)) {
    if (membership.hierarchy_id == 0 && membership.controllers.empty()) {
      if (have_v2) continue;
      have_v2 = true;
      locations.push_back(locate(2, membership.path, mount_for(2), root));
    } else {
      const bool has_memory = std::find(membership.controllers.begin(), membership.controllers.end(), "memory") !=
                              membership.controllers.end();
      if (!has_memory || have_v1) continue;
      have_v1 = true;
      locations.push_back(locate(1, membership.path, mount_for(1), root));
    }
  }
  return locations;
}

std::vector<CgroupMemory> read_cgroup_levels(const CgroupLocation& location) {
  const HierarchyFiles& files = files_of(location.version);
  std::vector<CgroupMemory> levels;

  // Climb from the group to the mount point; a directory outside the mount is read alone.
  std::filesystem::path relative = location.directory.lexically_relative(location.mount_dir);
  if (relative == ".") relative.clear();
  const bool inside_mount = !relative.empty() && *relative.begin() != "..";
  std::filesystem::path directory = location.directory;
  std::filesystem::path group_path{location.path.empty() ? std::string("/") : location.path};
  std::size_t levels_left = 0;  // how many parents to climb
  if (inside_mount) levels_left = static_cast<std::size_t>(std::distance(relative.begin(), relative.end()));

  for (;;) {
    const auto limit_text = detail::read_text_file(directory / files.limit);
    const auto limit = limit_text ? parse_cgroup_limit(*limit_text) : std::nullopt;
    if (limit) {
      const auto usage_text = detail::read_text_file(directory / files.usage);
      // A limit without a readable usage still bounds the process: count it with usage 0 rather
      // than drop it.
      const auto usage = usage_text ? parse_cgroup_counter(*usage_text) : std::nullopt;
      levels.push_back(CgroupMemory{*limit, usage.value_or(0), group_path.generic_string(), location.version});
    }
    if (levels_left == 0) break;
    --levels_left;
    directory = directory.parent_path();
    group_path = group_path.has_relative_path() ? group_path.parent_path() : group_path;
  }
  return levels;
}

}  // namespace sixg::mem
