// A fixed set of worker threads that run `fn(task, worker)` for tasks 0..n-1 and wait for all.
// Worker w always uses the per-thread state of index w (detectors, decoders, scratch), so no state is
// shared between threads; which worker runs a task never changes a frame's result.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace sixg::sim {

class ThreadPool {
 public:
  explicit ThreadPool(int num_threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  [[nodiscard]] int size() const { return static_cast<int>(threads_.size()) + 1; }

  /// Runs fn(task, worker) for every task in [0, num_tasks); the calling thread is worker 0.
  /// Tasks are handed out dynamically; rethrows the first exception a task threw.
  void parallel_for(std::size_t num_tasks, const std::function<void(std::size_t task, int worker)>& fn);

 private:
  void worker_loop(int worker);
  void run_tasks(int worker);

  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable start_cv_, done_cv_;
  const std::function<void(std::size_t, int)>* job_ = nullptr;
  std::size_t num_tasks_ = 0;
  std::size_t next_task_ = 0;
  std::size_t generation_ = 0;
  int busy_ = 0;
  bool stopping_ = false;
  std::exception_ptr error_;
};

}  // namespace sixg::sim
