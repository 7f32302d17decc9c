// The machine's roofline: sustainable memory bandwidth per cache level and peak SIMD FLOP rate, on one
// core and on two. Kernel benches (bench/qam_bench.cpp, bench/estimation_bench.cpp, ...) quote their
// share of these numbers; docs/roofline.md records a run and how to read it.
//
// The kernels measured (STREAM fill/copy/scale/add/triad, float and double mul+add chains) are defined in
// bench/roofline_probes.h. The working set (the three arrays together) is sized to sit in L1 (16 KiB),
// L2 (256 KiB), L3 (8 MiB) or DRAM (512 MiB) - half of each level on the EPYC of docs/roofline.md, so the
// level is not shared with the benchmark's own data. With two threads each thread streams its own half
// of every array, so the per-core working set halves too.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <new>
#include <thread>

#include "roofline_probes.h"

namespace {

using namespace sixg::bench::roofline;

// ---------------------------------------------------------------------------------------------------
// Timing on a shared machine. Other people's compilations run on the same two cores, so wall-clock time
// includes the slices the kernel was descheduled. Every rate below is therefore per unit of the
// kernel's own CPU time (CLOCK_THREAD_CPUTIME_ID); with two threads, an iteration lasts as long as the
// slower thread's CPU time. That is what the core delivers while it runs the kernel; a wall-clock
// throughput on a loaded machine is lower by the share of the core the scheduler gave away.
// (thread_cpu_seconds() is in roofline_probes.h.)

/// A persistent second thread, released once per benchmark iteration, so that thread creation (tens of
/// microseconds) does not pollute short L1-sized iterations. Waits block (futex) instead of spinning:
/// on an oversubscribed machine a spinning waiter would steal the core its partner needs.
class ThreadPair {
 public:
  /// job(half) is run on this thread with half = 0 and on the partner thread with half = 1.
  explicit ThreadPair(std::function<void(int)> job) : job_(std::move(job)), partner_([this] { partner_loop(); }) {}
  ThreadPair(const ThreadPair&) = delete;
  ThreadPair& operator=(const ThreadPair&) = delete;
  ~ThreadPair() {
    generation_.store(kStop, std::memory_order_release);
    generation_.notify_one();
    partner_.join();
  }

  /// Runs both halves once; returns the larger of the two threads' CPU seconds spent in job().
  double run_once() {
    const std::uint64_t next = ++issued_;
    generation_.store(next, std::memory_order_release);
    generation_.notify_one();
    const double start = thread_cpu_seconds();
    job_(0);
    const double own = thread_cpu_seconds() - start;
    for (std::uint64_t d = done_.load(std::memory_order_acquire); d != next;
         d = done_.load(std::memory_order_acquire)) {
      done_.wait(d, std::memory_order_acquire);
    }
    return std::max(own, partner_seconds_);
  }

 private:
  static constexpr std::uint64_t kStop = ~std::uint64_t{0};

  void partner_loop() {
    std::uint64_t seen = 0;
    for (;;) {
      generation_.wait(seen, std::memory_order_acquire);
      const std::uint64_t g = generation_.load(std::memory_order_acquire);
      if (g == kStop) return;
      const double start = thread_cpu_seconds();
      job_(1);
      partner_seconds_ = thread_cpu_seconds() - start;  // published by the release store below
      seen = g;
      done_.store(g, std::memory_order_release);
      done_.notify_one();
    }
  }

  std::function<void(int)> job_;
  std::uint64_t issued_ = 0;
  double partner_seconds_ = 0.0;
  alignas(64) std::atomic<std::uint64_t> generation_{0};
  alignas(64) std::atomic<std::uint64_t> done_{0};
  std::thread partner_;  // last: started once everything above is initialised
};

/// Runs job(0) alone (threads == 1) or job(0) and job(1) in parallel (threads == 2) once per iteration
/// and reports the iteration's CPU time (the slower thread's) as the benchmark's manual time.
template <typename Job>
void run_on_threads(benchmark::State& state, int threads, Job job) {
  if (threads == 1) {
    for (auto _ : state) {
      const double start = thread_cpu_seconds();
      job(0);
      state.SetIterationTime(thread_cpu_seconds() - start);
    }
  } else {
    ThreadPair pair(job);
    for (auto _ : state) state.SetIterationTime(pair.run_once());
  }
}

// ---------------------------------------------------------------------------------------------------
// Bandwidth

/// range(0): working-set bytes (all three arrays together), range(1): threads (1 or 2).
template <StreamKernel K>
void BM_Stream(benchmark::State& state) {
  const auto working_set = static_cast<std::size_t>(state.range(0));
  const int threads = static_cast<int>(state.range(1));
  // Elements per array, a multiple of 64 floats per thread so every half is whole cache lines and
  // whole vectors.
  const std::size_t per_thread = working_set / 3 / sizeof(float) / static_cast<std::size_t>(threads) / 64 * 64;
  const std::size_t n = per_thread * static_cast<std::size_t>(threads);
  FloatArray a = make_array(n, 1.0f), b = make_array(n, 2.0f), c = make_array(n, 3.0f);
  // Small working sets repeat the pass so that one iteration moves >= 128 MiB (milliseconds): the
  // per-iteration overhead (timer, and on a loaded machine the partner thread's wake-up) stays small.
  const std::size_t passes = std::max<std::size_t>(1, (std::size_t{128} << 20) / working_set);

  run_on_threads(state, threads, [&, per_thread, passes](int half) {
    const std::size_t first = static_cast<std::size_t>(half) * per_thread;
    float* pa = a.get() + first;
    const float* pb = b.get() + first;
    const float* pc = c.get() + first;
    for (std::size_t p = 0; p < passes; ++p) {
      benchmark::DoNotOptimize(pa);
      stream_pass<K>(pa, pb, pc, per_thread);
      benchmark::ClobberMemory();  // each pass's stores must happen: no merging of repeated passes
    }
  });

  const double bytes = bytes_per_element(K) * static_cast<double>(n) * static_cast<double>(passes) *
                       static_cast<double>(state.iterations());
  state.counters["bytes/s"] = benchmark::Counter(bytes, benchmark::Counter::kIsRate, benchmark::Counter::kIs1024);
  state.counters["GB/s"] = benchmark::Counter(bytes * 1e-9, benchmark::Counter::kIsRate);
}

void stream_args(benchmark::internal::Benchmark* b) {
  b->ArgNames({"bytes", "threads"});
  for (const std::int64_t bytes :
       {std::int64_t{16} << 10, std::int64_t{256} << 10, std::int64_t{8} << 20, std::int64_t{512} << 20}) {
    for (const std::int64_t threads : {1, 2}) b->Args({bytes, threads});
  }
  b->UseManualTime()->Unit(benchmark::kMicrosecond);
}

BENCHMARK(BM_Stream<StreamKernel::fill>)->Name("BM_StreamFill")->Apply(stream_args);
BENCHMARK(BM_Stream<StreamKernel::copy>)->Name("BM_StreamCopy")->Apply(stream_args);
BENCHMARK(BM_Stream<StreamKernel::scale>)->Name("BM_StreamScale")->Apply(stream_args);
BENCHMARK(BM_Stream<StreamKernel::add>)->Name("BM_StreamAdd")->Apply(stream_args);
BENCHMARK(BM_Stream<StreamKernel::triad>)->Name("BM_StreamTriad")->Apply(stream_args);

// ---------------------------------------------------------------------------------------------------
// Peak FLOP rate

/// range(0): threads. Each thread runs the same chains for kSteps steps per iteration (a few ms).
template <typename V, int kChains, bool kFused>
void BM_Flops(benchmark::State& state) {
  using T = decltype(V{}[0] + 0);
  constexpr int kLanes = sizeof(V) / sizeof(T);
  constexpr std::int64_t kSteps = 1 << 20;
  const int threads = static_cast<int>(state.range(0));
  run_on_threads(state, threads, [](int) {
    // x -> 0.5x + 0.25 is a contraction to 0.5: no overflow, no denormals, however many steps.
    V m{}, c{};
    for (int l = 0; l < kLanes; ++l) {
      m[l] = T(0.5);
      c[l] = T(0.25);
    }
    benchmark::DoNotOptimize(m);  // the compiler must not know m and c, or it could fold the chains
    benchmark::DoNotOptimize(c);
    V sum;
    flop_chains<V, kChains, kFused>(kSteps, m, c, sum);
    benchmark::DoNotOptimize(sum);
  });
  const double flops =
      2.0 * kLanes * kChains * static_cast<double>(kSteps) * threads * static_cast<double>(state.iterations());
  state.counters["FLOP/s"] = benchmark::Counter(flops, benchmark::Counter::kIsRate);
  state.counters["GFLOP/s"] = benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsRate);
}

void flop_args(benchmark::internal::Benchmark* b) {
  b->ArgName("threads")->Arg(1)->Arg(2)->UseManualTime()->Unit(benchmark::kMicrosecond);
}

BENCHMARK(BM_Flops<v8f, 8, false>)->Name("BM_FloatMulAdd/chains:8")->Apply(flop_args);
BENCHMARK(BM_Flops<v8f, 12, false>)->Name("BM_FloatMulAdd/chains:12")->Apply(flop_args);
BENCHMARK(BM_Flops<v4d, 12, false>)->Name("BM_DoubleMulAdd/chains:12")->Apply(flop_args);
#ifdef __FMA__
BENCHMARK(BM_Flops<v8f, 8, true>)->Name("BM_FloatFma/chains:8")->Apply(flop_args);
BENCHMARK(BM_Flops<v8f, 12, true>)->Name("BM_FloatFma/chains:12")->Apply(flop_args);
BENCHMARK(BM_Flops<v4d, 12, true>)->Name("BM_DoubleFma/chains:12")->Apply(flop_args);
#endif

}  // namespace

BENCHMARK_MAIN();
