// PHOLD macro benchmarks (shared/bench/PHOLD.md configs A and B) at 1 and 2 threads; rate = committed events/s.
#include <benchmark/benchmark.h>

#include "models/phold/Phold.hpp"

using namespace innosim;

static void BM_Phold(benchmark::State& state) {
  phold::PholdConfig c;
  c.lps = static_cast<std::uint32_t>(state.range(0));
  c.end = static_cast<double>(state.range(1));
  c.threads = static_cast<unsigned>(state.range(2));
  double seconds = 0;
  std::uint64_t committed = 0;
  for (auto _ : state) {
    const auto r = phold::run_phold(c);
    seconds += r.seconds;
    committed += r.committed;
    state.SetIterationTime(r.seconds);
  }
  state.counters["events_per_second"] = benchmark::Counter(static_cast<double>(committed) / seconds);
  state.counters["committed"] = benchmark::Counter(static_cast<double>(committed) / static_cast<double>(state.iterations()));
}
BENCHMARK(BM_Phold)
    ->ArgNames({"lps", "end", "threads"})
    ->Args({1024, 1000, 1})
    ->Args({1024, 1000, 2})
    ->Args({16384, 20, 1})
    ->Args({16384, 20, 2})
    ->UseManualTime()
    ->Unit(benchmark::kSecond)
    ->Iterations(1);
