#include "stack/parallel.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace cytoskel {

namespace {

// What the workers of one ForEachParallel share.
class Work {
 public:
  Work(size_t count, const std::function<void(size_t)>& task)
      : count_(count), task_(task) {}

  // Takes indices until none is left or a task failed.
  void Run() {
    while (!failed_.load()) {
      size_t index = next_.fetch_add(1);
      if (index >= count_) return;
      try {
        task_(index);
      } catch (...) {
        std::lock_guard lock(mutex_);
        if (!first_error_) first_error_ = std::current_exception();
        failed_.store(true);
      }
    }
  }

  void RethrowFirstError() {
    if (first_error_) std::rethrow_exception(first_error_);
  }

 private:
  const size_t count_;
  const std::function<void(size_t)>& task_;
  std::atomic<size_t> next_{0};
  std::atomic<bool> failed_{false};
  std::mutex mutex_;
  std::exception_ptr first_error_;
};

}  // namespace

void ForEachParallel(size_t count, size_t workers,
                     const std::function<void(size_t index)>& task) {
  Work work(count, task);
  size_t extra_threads = std::min(workers, count);
  extra_threads = extra_threads > 0 ? extra_threads - 1 : 0;
  std::vector<std::thread> threads;
  for (size_t i = 0; i < extra_threads; ++i) {
    try {
      threads.emplace_back([&work] { work.Run(); });
    } catch (const std::system_error&) {
      break;  // no more threads to be had: the ones running do the work
    }
  }
  work.Run();
  for (std::thread& thread : threads) thread.join();
  work.RethrowFirstError();
}

}  // namespace cytoskel
