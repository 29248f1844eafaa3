#include "cluster/WorkQueue.hpp"

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

namespace innosim::cluster {

namespace {
enum Tag : int { kRequest = 1, kAssign = 2, kResult = 3, kState = 4 };
constexpr std::uint32_t kStopping = 0xFFFFFFFFu;  // a request that says the worker stops (it was signalled)
}  // namespace

MpiSession::MpiSession() {
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided);
  if (provided < MPI_THREAD_SERIALIZED) throw std::runtime_error("MPI does not provide MPI_THREAD_SERIALIZED");
}

MpiSession::~MpiSession() { MPI_Finalize(); }

int rank() {
  int r = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}

int size() {
  int n = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &n);
  return n;
}

bool coordinate(std::uint32_t units, const std::function<void(std::uint32_t, std::span<const char>)>& on_result,
                const std::function<bool()>& stop, const std::function<void()>& on_stop,
                const std::function<void(std::uint32_t, std::span<const char>)>& on_state) {
  const int workers = size() - 1;
  int working = workers;  // ranks not yet told that there is no more work
  std::uint32_t next = 0;
  bool stopped = false;
  std::vector<char> buffer;
  while (working > 0) {
    if (!stopped && stop && stop()) {
      stopped = true;
      if (on_stop) on_stop();
    }
    int flag = 0;
    MPI_Status status;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status);
    if (!flag) {
      // Polled, not a blocking receive: Open MPI spins in a blocking one, taking a core from the ranks' threads.
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      continue;
    }
    if (status.MPI_TAG == kRequest) {
      std::uint32_t wanted = 0;
      MPI_Recv(&wanted, 1, MPI_UINT32_T, status.MPI_SOURCE, kRequest, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      if (wanted == kStopping && !stopped) {
        stopped = true;
        if (on_stop) on_stop();
      }
      // Chunks shrink towards the end (at most a share of what is left), so the last units spread over the ranks.
      const std::uint32_t left = stopped ? 0 : units - next;
      const std::uint32_t share =
          (left + static_cast<std::uint32_t>(workers) - 1) / static_cast<std::uint32_t>(workers);
      const std::uint32_t count = std::min(std::max(wanted, 1u), share);  // 0 once nothing is left
      const std::uint32_t assign[2] = {next, count};
      MPI_Send(assign, 2, MPI_UINT32_T, status.MPI_SOURCE, kAssign, MPI_COMM_WORLD);
      next += count;
      if (count == 0) --working;
    } else if (status.MPI_TAG == kResult || status.MPI_TAG == kState) {
      int bytes = 0;
      MPI_Get_count(&status, MPI_BYTE, &bytes);
      buffer.resize(static_cast<std::size_t>(bytes));
      MPI_Recv(buffer.data(), bytes, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      if (buffer.size() < sizeof(std::uint32_t)) throw std::runtime_error("a rank sent a malformed message");
      std::uint32_t unit = 0;
      std::memcpy(&unit, buffer.data(), sizeof unit);
      const auto body = std::span<const char>(buffer).subspan(sizeof unit);
      if (status.MPI_TAG == kResult)
        on_result(unit, body);
      else if (on_state)
        on_state(unit, body);
    } else {
      throw std::runtime_error("rank 0 received an unexpected message (tag " + std::to_string(status.MPI_TAG) + ")");
    }
  }
  return !stopped;
}

void work(std::uint32_t chunk,
          const std::function<void(std::uint32_t first, std::uint32_t count, const SendResult& send,
                                   const SendResult& send_state)>& run,
          const std::function<bool()>& stopping) {
  std::mutex turns;  // MPI_THREAD_SERIALIZED: one call at a time
  auto sender = [&turns](int tag) {
    return [&turns, tag](std::uint32_t unit, std::vector<char> bytes) {
      bytes.insert(bytes.begin(), reinterpret_cast<const char*>(&unit),
                   reinterpret_cast<const char*>(&unit) + sizeof unit);
      const std::lock_guard lock(turns);
      MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, 0, tag, MPI_COMM_WORLD);
    };
  };
  const SendResult send = sender(kResult), send_state = sender(kState);
  while (true) {
    const std::uint32_t wanted = stopping && stopping() ? kStopping : chunk;
    MPI_Send(&wanted, 1, MPI_UINT32_T, 0, kRequest, MPI_COMM_WORLD);
    std::uint32_t assign[2] = {0, 0};
    MPI_Recv(assign, 2, MPI_UINT32_T, 0, kAssign, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (assign[1] == 0) return;
    run(assign[0], assign[1], send, send_state);
  }
}

}  // namespace innosim::cluster
