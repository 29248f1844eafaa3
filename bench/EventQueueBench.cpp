// Event queue micro benchmarks: the "hold" model (pop one, push one later) at 10^3..10^6 pending events.
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>

#include "sim/EventHeap.hpp"
#include "sim/EventQueue.hpp"

using namespace innosim::sim;

namespace {
template <class Queue>
void fill(Queue& q, std::int64_t n, std::mt19937_64& gen, std::uint64_t& tie) {
  std::exponential_distribution<double> d(1.0);
  for (std::int64_t i = 0; i < n; ++i) q.push(Event{d(gen) * static_cast<double>(n) / 1000.0, tie++, 0, 0, {}});
}
}  // namespace

static void BM_EventQueueHold(benchmark::State& state) {
  const auto n = state.range(0);
  const double lookahead = 0.1;
  EventQueue q(lookahead);
  std::mt19937_64 gen(1);
  std::uint64_t tie = 0;
  fill(q, n, gen, tie);
  std::exponential_distribution<double> d(1.0);
  double limit = q.next_time() + lookahead;
  q.load_until(limit);  // the first load places the filled events: setup, not timed
  Event e{};
  for (auto _ : state) {
    // The engine's path: windows one lookahead wide, popped with pop_before().
    if (!q.pop_before(limit, e)) {
      limit = q.next_time() + lookahead;
      q.load_until(limit);
      q.pop_before(limit, e);
    }
    q.push(Event{e.time + lookahead + d(gen) * static_cast<double>(n) / 1000.0, tie++, 0, 0, {}});
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EventQueueHold)->RangeMultiplier(10)->Range(1000, 10000000);

static void BM_EventHeapHold(benchmark::State& state) {
  const auto n = state.range(0);
  EventHeap q;
  std::mt19937_64 gen(1);
  std::uint64_t tie = 0;
  fill(q, n, gen, tie);
  std::exponential_distribution<double> d(1.0);
  for (auto _ : state) {
    const Event e = q.pop();
    q.push(Event{e.time + 0.1 + d(gen) * static_cast<double>(n) / 1000.0, tie++, 0, 0, {}});
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EventHeapHold)->RangeMultiplier(10)->Range(1000, 10000000);
