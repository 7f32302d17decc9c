#include "sixg/sim/thread_pool.h"

#include <algorithm>

namespace sixg::sim {

ThreadPool::ThreadPool(int num_threads) {
  for (int w = 1; w < std::max(1, num_threads); ++w) threads_.emplace_back([this, w] { worker_loop(w); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  start_cv_.notify_all();
  for (auto& t : threads_) t.join();
}

void ThreadPool::run_tasks(int worker) {
  for (;;) {
    std::size_t task = 0;
    {
      std::lock_guard lock(mutex_);
      if (next_task_ >= num_tasks_ || error_) return;
      task = next_task_++;
    }
    try {
      (*job_)(task, worker);
    } catch (...) {
      std::lock_guard lock(mutex_);
      if (!error_) error_ = std::current_exception();
    }
  }
}

void ThreadPool::worker_loop(int worker) {
  std::size_t seen = 0;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      start_cv_.wait(lock, [&] { return stopping_ || generation_ != seen; });
      if (stopping_) return;
      seen = generation_;
      ++busy_;
    }
    run_tasks(worker);
    {
      std::lock_guard lock(mutex_);
      --busy_;
    }
    done_cv_.notify_all();
  }
}

void ThreadPool::parallel_for(std::size_t num_tasks, const std::function<void(std::size_t, int)>& fn) {
  {
    std::lock_guard lock(mutex_);
    job_ = &fn;
    num_tasks_ = num_tasks;
    next_task_ = 0;
    error_ = nullptr;
    ++generation_;
  }
  start_cv_.notify_all();
  run_tasks(0);
  std::exception_ptr error;
  {
    std::unique_lock lock(mutex_);
    // Every worker that woke for this generation must finish before fn goes out of scope.
    done_cv_.wait(lock, [&] { return busy_ == 0 && (next_task_ >= num_tasks_ || error_); });
    error = error_;
    job_ = nullptr;
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace sixg::sim
