// PHOLD macro benchmarks: configs A and B of shared/bench/PHOLD.md at 1 and 2 threads, and 10^3..10^6 LPs.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include "models/phold/Phold.hpp"

using namespace innosim;

namespace {
double peak_rss_bytes() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) * 1024.0;
}

void run(benchmark::State& state, std::uint32_t lps, double end, unsigned threads) {
  phold::PholdConfig c;
  c.lps = lps;
  c.end = end;
  c.threads = threads;
  double seconds = 0;
  std::uint64_t committed = 0;
  unsigned used = 0;
  double windows_s = 0, between_s = 0, windows = 0, busy = 0, imbalance = 0;
  for (auto _ : state) {
    const auto r = phold::run_phold(c);
    seconds += r.seconds;
    committed += r.committed;
    used = std::max(used, r.stats.threads_used());
    windows_s += r.stats.window_seconds;
    between_s += r.stats.between_seconds;
    windows += static_cast<double>(r.stats.windows);
    busy += sim::busy_share(r.stats), imbalance += sim::imbalance_share(r.stats);
    state.SetIterationTime(r.seconds);
  }
  state.counters["events_per_second"] = benchmark::Counter(static_cast<double>(committed) / seconds);
  state.counters["committed"] =
      benchmark::Counter(static_cast<double>(committed) / static_cast<double>(state.iterations()));
  state.counters["threads_used"] = used;
  // Where the time goes: inside windows (handlers) and between them (the serial part), per window.
  state.counters["window_us"] = 1e6 * windows_s / windows;
  state.counters["between_us"] = 1e6 * between_s / windows;
  // What bounds the speed-up inside windows: the threads' share of them in blocks, and the share of their wall
  // time that the busiest thread added over the mean (load imbalance).
  const auto runs = static_cast<double>(state.iterations());
  state.counters["busy_share"] = busy / runs;
  state.counters["imbalance_share"] = imbalance / runs;
  state.counters["peak_bytes_per_lp"] = peak_rss_bytes() / lps;
}
}  // namespace

static void BM_Phold(benchmark::State& state) {
  run(state, static_cast<std::uint32_t>(state.range(0)), static_cast<double>(state.range(1)),
      static_cast<unsigned>(state.range(2)));
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

/// LP count from 10^3 to 10^6 at about 16 M events each (end shrinks as LPs grow).
static void BM_PholdLps(benchmark::State& state) {
  const auto lps = static_cast<std::uint32_t>(state.range(0));
  run(state, lps, 1.0e6 / lps, static_cast<unsigned>(state.range(1)));
}
BENCHMARK(BM_PholdLps)
    ->ArgNames({"lps", "threads"})
    ->ArgsProduct({{1000, 10000, 100000, 1000000}, {1, 2}})
    ->UseManualTime()
    ->Unit(benchmark::kSecond)
    ->Iterations(1);
