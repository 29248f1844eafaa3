// Fork-join over agent blocks on plain std::threads: the engine's executor in ThreadSanitizer builds.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace innosim::sim {

/// Debian's oneTBB is not instrumented for ThreadSanitizer, so TSan cannot see the synchronisation inside
/// it and reports TBB's own task hand-offs as races. Built with INNOSIM_STD_THREADS (the tsan preset), the
/// engine runs its windows on this pool instead: every synchronisation is a std::mutex, condition variable
/// or atomic that TSan sees, so what it reports is real. Same blocks, same protocol, same results.
class BlockPool {
 public:
  using Body = std::function<void(std::uint32_t block, unsigned slot)>;

  explicit BlockPool(unsigned threads) {
    for (unsigned slot = 1; slot < threads; ++slot) workers_.emplace_back([this, slot] { work(slot); });
  }
  ~BlockPool() {
    {
      const std::lock_guard lock(mutex_);
      stop_ = true;
    }
    start_.notify_all();
    for (auto& w : workers_) w.join();
  }
  BlockPool(const BlockPool&) = delete;
  BlockPool& operator=(const BlockPool&) = delete;

  /// Runs body(b, slot) for every block b in [0, blocks), spread over the threads; returns when all are done.
  void run(std::uint32_t blocks, const Body& body) {
    {
      const std::lock_guard lock(mutex_);
      body_ = &body;
      blocks_ = blocks;
      next_.store(0, std::memory_order_relaxed);
      busy_ = static_cast<unsigned>(workers_.size());
      ++generation_;
    }
    start_.notify_all();
    drain(0);
    std::unique_lock lock(mutex_);
    done_.wait(lock, [this] { return busy_ == 0; });
  }

 private:
  void drain(unsigned slot) {
    for (std::uint32_t b = next_.fetch_add(1); b < blocks_; b = next_.fetch_add(1)) (*body_)(b, slot);
  }
  void work(unsigned slot) {
    std::uint64_t seen = 0;
    for (;;) {
      {
        std::unique_lock lock(mutex_);
        start_.wait(lock, [&] { return stop_ || generation_ != seen; });
        if (stop_) return;
        seen = generation_;
      }
      drain(slot);
      {
        const std::lock_guard lock(mutex_);
        if (--busy_ == 0) done_.notify_one();
      }
    }
  }

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable start_, done_;
  const Body* body_ = nullptr;
  std::uint32_t blocks_ = 0;
  std::atomic<std::uint32_t> next_{0};
  unsigned busy_ = 0;
  std::uint64_t generation_ = 0;
  bool stop_ = false;
};

}  // namespace innosim::sim
