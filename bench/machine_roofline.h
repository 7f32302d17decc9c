// The roofline of the machine running a bench: the four limits the kernel benches quote their share of
// (bench/roofline_counters.h), measured once per process with bench/roofline_probes.h's loops, the
// first time a bench asks. Measured rather than written down, because a constant from one machine gives
// wrong shares on the next (the EPYC's 10 GB/s DRAM figure put a kernel at 200 % of its bound on a Xeon).
#pragma once

namespace sixg::bench {

struct MachineRoofline {
  double peak_flops_per_second;      // float mul + add chains (12 of 8 lanes), no FMA, one core
  double l3_bytes_per_second;        // STREAM scale on an 8 MiB working set
  double l3_store_bytes_per_second;  // store-only fill on an 8 MiB working set
  double dram_bytes_per_second;      // STREAM scale on a 512 MiB working set
  double l3_size_bytes;              // the last-level cache the OS reports (32 MiB when it reports none)
};

/// Measures on the first call (about half a second, one core; printed to stderr), then returns the same.
const MachineRoofline& machine_roofline();

}  // namespace sixg::bench
