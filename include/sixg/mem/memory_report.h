// The human-readable memory block that `sixg memory` and the simulation's report print, in the
// seed's shape (DESIGN §4, binary units):
//   System Memory Status:
//     - System Total: 23.43 GiB
//     - System Available: 20.10 GiB
//     - System Used: 14.2%
//     - Process RSS: 12.3 MiB
// followed by "  - Cgroup Limit: X (usage Y)" when a cgroup limits the process,
// "  - Effective Available: X" and one "  - GPU i (name): used X of Y" line per GPU.
#pragma once

#include <string>

#include "sixg/mem/system_probe.h"

namespace sixg::mem {

/// The block above, one line per item, each ending in '\n'.
std::string format_memory_status(const MemoryStatus& status);

}  // namespace sixg::mem
