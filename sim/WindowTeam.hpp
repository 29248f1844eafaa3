// The threads that run a simulation's windows: they stay for the whole run and spin between windows.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>

namespace innosim::sim {

/// Fork-join over the agent blocks of each window, by the calling thread and `threads - 1` helpers.
/// A window may last only tens of microseconds, and a pool whose workers fall asleep between windows
/// pays a wake-up for each; the helpers here spin (then, after a while, block) waiting for the next one.
/// The protocol never waits for a helper to arrive: the caller claims blocks too, so a run completes even
/// if a helper never gets a thread (oneTBB may give it none when other work holds the workers).
/// Helpers are oneTBB tasks in the team's own arena; built with INNOSIM_STD_THREADS (the tsan preset,
/// since Debian's libtbb is not instrumented for ThreadSanitizer) they are std::threads, and every
/// synchronisation is an atomic TSan sees. Same blocks, same protocol, same results.
class WindowTeam {
 public:
  using Body = std::function<void(std::uint32_t block, unsigned slot)>;

  /// `body(block, slot)` processes one block; slot 0 is the calling thread, helpers are 1..threads-1.
  WindowTeam(unsigned threads, Body body);
  ~WindowTeam();
  WindowTeam(const WindowTeam&) = delete;
  WindowTeam& operator=(const WindowTeam&) = delete;

  /// Runs body(b, slot) for every block b in [0, blocks); returns when all are done, their writes visible.
  void run(std::uint32_t blocks);

 private:
  static constexpr std::uint64_t kStop = 0xFFFFFFFFu;  // a generation that tells helpers to leave
  void help(unsigned slot);
  /// Claims and processes blocks of the window whose claim word is `seen`, until none is left.
  void drain(std::uint64_t seen, unsigned slot);

  Body body_;
  // (generation << 32) | next unclaimed block: claiming a block and learning which window it belongs to
  // is one compare-and-swap, so a helper late from the last window cannot take a block of this one
  // without seeing this window's start.
  std::atomic<std::uint64_t> claim_{0};
  std::atomic<std::uint32_t> done_{0};    // blocks finished in this window
  std::atomic<std::uint32_t> blocks_{0};  // set before the claim word is published
  std::uint64_t generation_ = 0;
  struct Helpers;
  std::unique_ptr<Helpers> helpers_;
};

}  // namespace innosim::sim
