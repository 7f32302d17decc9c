// The roofline of the machine running the bench (one core, measured on first use: bench/machine_roofline.h)
// and the counters a kernel bench reports against it.
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <string>

#include "machine_roofline.h"

namespace sixg::bench {

inline double peak_flops_per_second() { return machine_roofline().peak_flops_per_second; }  // no FMA
inline double l3_bytes_per_second() { return machine_roofline().l3_bytes_per_second; }
inline double l3_store_bytes_per_second() { return machine_roofline().l3_store_bytes_per_second; }
inline double dram_bytes_per_second() { return machine_roofline().dram_bytes_per_second; }
/// Whether a working set of `bytes`, read again on every iteration, streams from DRAM rather than L3:
/// more than half the last-level cache (the rest holds other data and suffers conflicts).
inline bool streams_from_dram(double bytes) { return bytes > machine_roofline().l3_size_bytes / 2; }

/// Per iteration the kernel handles `items` (counted as `item_name`/s), moves `bytes` at up to
/// `bytes_per_second` and does `ops` arithmetic operations (counted as `ops_name`/s) at up to the FLOP
/// peak. Sets the rate counters, `bound_share` (the bound's time over the measured time) and a label
/// naming the bound that applies.
inline void report_against_roofline(benchmark::State& state, double items, const char* item_name, double bytes,
                                    double ops, const char* ops_name, double bytes_per_second,
                                    const char* memory_name = "L3 bandwidth") {
  const double iterations = static_cast<double>(state.iterations());
  state.counters[item_name] = benchmark::Counter(items * iterations, benchmark::Counter::kIsRate);
  state.counters["bytes/s"] =
      benchmark::Counter(bytes * iterations, benchmark::Counter::kIsRate, benchmark::Counter::kIs1024);
  state.counters[ops_name] = benchmark::Counter(ops * iterations, benchmark::Counter::kIsRate);
  const double memory_seconds = bytes / bytes_per_second, compute_seconds = ops / peak_flops_per_second();
  state.counters["bound_share"] =
      benchmark::Counter(std::max(memory_seconds, compute_seconds) * iterations, benchmark::Counter::kIsRate);
  state.SetLabel(memory_seconds >= compute_seconds ? std::string("bound: ") + memory_name : "bound: FLOP");
}

}  // namespace sixg::bench
