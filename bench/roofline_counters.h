// The measured roofline of the development machine (one core; docs/roofline.md, median of 5
// repetitions of bench/roofline_bench.cpp) and the counters a kernel bench reports against it.
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <string>

namespace sixg::bench {

constexpr double kPeakFlopsPerSecond = 77.4e9;     // float mul+add chains (12), no FMA
constexpr double kL3BytesPerSecond = 36.3e9;       // STREAM scale on an 8 MiB working set
constexpr double kL3StoreBytesPerSecond = 28.9e9;  // store-only fill on an 8 MiB working set
constexpr double kDramBytesPerSecond = 10.0e9;     // STREAM scale on a 512 MiB working set

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
  const double memory_seconds = bytes / bytes_per_second, compute_seconds = ops / kPeakFlopsPerSecond;
  state.counters["bound_share"] =
      benchmark::Counter(std::max(memory_seconds, compute_seconds) * iterations, benchmark::Counter::kIsRate);
  state.SetLabel(memory_seconds >= compute_seconds ? std::string("bound: ") + memory_name : "bound: FLOP");
}

}  // namespace sixg::bench
