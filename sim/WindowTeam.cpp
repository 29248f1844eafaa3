#include "sim/WindowTeam.hpp"

#include <chrono>
#include <vector>

#ifdef INNOSIM_STD_THREADS
#include <thread>
#else
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_group.h>
#endif

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace innosim::sim {

namespace {
inline void relax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#endif
}
// How long a helper spins for the next window before it blocks: longer than the serial work between most
// windows, short enough that an idle team soon leaves its cores to others.
constexpr auto kSpin = std::chrono::microseconds(500);
}  // namespace

#ifdef INNOSIM_STD_THREADS
struct WindowTeam::Helpers {
  std::vector<std::thread> threads;
};
#else
struct WindowTeam::Helpers {
  explicit Helpers(unsigned threads) : arena(static_cast<int>(threads)) {}
  oneapi::tbb::task_arena arena;
  oneapi::tbb::task_group group;
};
#endif

WindowTeam::WindowTeam(unsigned threads, Body body) : body_(std::move(body)) {
  if (threads <= 1) return;
#ifdef INNOSIM_STD_THREADS
  helpers_ = std::make_unique<Helpers>();
  for (unsigned slot = 1; slot < threads; ++slot) helpers_->threads.emplace_back([this, slot] { help(slot); });
#else
  helpers_ = std::make_unique<Helpers>(threads);
  helpers_->arena.execute([&] {
    for (unsigned slot = 1; slot < threads; ++slot) helpers_->group.run([this, slot] { help(slot); });
  });
#endif
}

WindowTeam::~WindowTeam() {
  if (!helpers_) return;
  claim_.store(kStop << 32, std::memory_order_release);
  claim_.notify_all();
#ifdef INNOSIM_STD_THREADS
  for (auto& t : helpers_->threads) t.join();
#else
  // A helper that never started runs here, sees the stop and returns.
  helpers_->arena.execute([&] { helpers_->group.wait(); });
#endif
}

void WindowTeam::run(std::uint32_t blocks) {
  if (!helpers_) {
    for (std::uint32_t b = 0; b < blocks; ++b) body_(b, 0);
    return;
  }
  blocks_.store(blocks, std::memory_order_relaxed);
  done_.store(0, std::memory_order_relaxed);
  generation_ = generation_ + 1 == kStop ? 1 : generation_ + 1;
  const std::uint64_t start = generation_ << 32;
  claim_.store(start, std::memory_order_release);
  claim_.notify_all();
  drain(start, 0);
  while (done_.load(std::memory_order_acquire) < blocks) relax();
}

void WindowTeam::drain(std::uint64_t seen, unsigned slot) {
  std::uint64_t c = seen;
  const std::uint32_t blocks = blocks_.load(std::memory_order_relaxed);
  while ((c >> 32) == (seen >> 32) && (c & 0xFFFFFFFFu) < blocks) {
    if (claim_.compare_exchange_weak(c, c + 1, std::memory_order_acq_rel, std::memory_order_acquire)) {
      body_(static_cast<std::uint32_t>(c & 0xFFFFFFFFu), slot);
      done_.fetch_add(1, std::memory_order_release);
      c = claim_.load(std::memory_order_acquire);
    }
  }
}

void WindowTeam::help(unsigned slot) {
  std::uint64_t last = 0;  // the generation this helper last worked on
  for (;;) {
    std::uint64_t c = claim_.load(std::memory_order_acquire);
    if ((c >> 32) == last) {
      const auto until = std::chrono::steady_clock::now() + kSpin;
      int spins = 0;
      while ((c >> 32) == last) {
        relax();
        if (++spins % 256 == 0 && std::chrono::steady_clock::now() > until) {
          claim_.wait(c, std::memory_order_acquire);
        }
        c = claim_.load(std::memory_order_acquire);
      }
    }
    if ((c >> 32) == kStop) return;
    last = c >> 32;
    drain(c, slot);
  }
}

}  // namespace innosim::sim
