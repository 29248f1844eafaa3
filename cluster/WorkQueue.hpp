// Work units spread over MPI ranks with dynamic load balancing: rank 0 hands out chunks, the others run them.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace innosim::cluster {

/// MPI while it lives (MPI_Init_thread with MPI_THREAD_SERIALIZED: a worker sends each finished unit from
/// whichever thread finished it, one at a time). At most one per process.
class MpiSession {
 public:
  MpiSession();
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
};

int rank();
int size();

/// Sends one finished unit's bytes to rank 0 (callable from any one thread at a time).
using SendResult = std::function<void(std::uint32_t unit, std::vector<char> bytes)>;

/// Rank 0 of a job of size > 1: hands out units [0, units) in chunks to the ranks that ask (a rank that finishes
/// takes the next chunk, so units of unequal cost balance), calls `on_result` for each finished unit in arrival
/// order, and returns once every rank has been told there is no more work. Once `stop` returns true no further
/// chunk is handed out; `on_stop` is called once then (to save what is finished before mpirun kills the job).
/// `on_state` gets the states that workers send (send_state below: checkpoints), in arrival order. Returns false if
/// the job stopped early: `stop` became true, or a worker said it stops (work's `stopping`).
bool coordinate(std::uint32_t units, const std::function<void(std::uint32_t, std::span<const char>)>& on_result,
                const std::function<bool()>& stop, const std::function<void()>& on_stop,
                const std::function<void(std::uint32_t, std::span<const char>)>& on_state = {});

/// Ranks 1..P-1: ask rank 0 for chunks of at most `chunk` units and run each with
/// `run(first, count, send, send_state)` until told there is no more work. `send` and `send_state` may be called
/// from any threads, at once: they take turns. Once `stopping` returns true (this rank was signalled) it asks for
/// no more work and tells rank 0, which then hands out no more to anyone.
void work(std::uint32_t chunk,
          const std::function<void(std::uint32_t first, std::uint32_t count, const SendResult& send,
                                   const SendResult& send_state)>& run,
          const std::function<bool()>& stopping);

}  // namespace innosim::cluster
