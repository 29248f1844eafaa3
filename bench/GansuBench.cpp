// Gansu model macro benchmarks: one replication at scale 0.1, 1 and 10; 1 against N threads in pairs; an ensemble of 32
// at scale 1; HDF5 writes.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "config/ConfigValues.hpp"
#include "models/gansu/Ensemble.hpp"
#include "models/gansu/GansuModel.hpp"
#include "results/ResultsFile.hpp"

using namespace innosim;

namespace {
gansu::Parameters baseline(double scale) {
  const auto values =
      config::load_config(gansu::scenario_schema(), std::string(INNOSIM_SOURCE_DIR) + "/scenarios/baseline.yaml",
                          {"run.scale=" + std::to_string(scale)});
  return gansu::read_parameters(values);
}
double peak_rss_bytes() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) * 1024.0;
}
}  // namespace

static void BM_GansuReplication(benchmark::State& state) {
  const double scale = static_cast<double>(state.range(0)) / 10.0;
  const auto threads = static_cast<unsigned>(state.range(1));
  const auto p = baseline(scale);
  const auto agents = static_cast<double>(gansu::population_counts(p).total());
  std::uint64_t events = 0;
  double build = 0, run = 0, teardown = 0;  // the phases, so that the serial ones show
  double windows = 0, between = 0;          // the run's time in windows (parallel) and between them (serial)
  double busy = 0, imbalance = 0;           // inside windows: the threads' busy share, the imbalance's share
  std::uint64_t window_count = 0;
  using Clock = std::chrono::steady_clock;
  auto since = [](Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); };
  for (auto _ : state) {
    auto t = Clock::now();
    auto model = std::make_unique<gansu::GansuModel>(p, 0, threads);  // population build included in the time
    build += since(t);
    t = Clock::now();
    const auto o = model->run();
    run += since(t);
    t = Clock::now();
    model.reset();
    teardown += since(t);
    events += o.events;
    windows += o.window_seconds;
    between += o.between_seconds;
    busy += o.busy_share, imbalance += o.imbalance_share;
    window_count += o.windows;
  }
  state.counters["events_per_second"] = benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
  state.counters["build_s"] = build;
  state.counters["run_s"] = run;
  state.counters["teardown_s"] = teardown;
  state.counters["run_windows_s"] = windows;
  state.counters["run_between_s"] = between;
  state.counters["windows"] = static_cast<double>(window_count);
  state.counters["window_busy_share"] = busy / static_cast<double>(state.iterations());
  state.counters["window_imbalance_share"] = imbalance / static_cast<double>(state.iterations());
  state.counters["agents"] = agents;
  state.counters["peak_bytes_per_agent"] = peak_rss_bytes() / agents;
}
BENCHMARK(BM_GansuReplication)
    ->ArgNames({"scale_x10", "threads"})
    ->ArgsProduct({{1, 10, 100}, {1, 2}})
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->UseRealTime();

static void BM_GansuEnsemble32(benchmark::State& state) {
  const auto p = baseline(1.0);
  std::uint64_t events = 0;
  for (auto _ : state) {
    const auto out = gansu::run_ensemble(p, {0, 32, static_cast<unsigned>(state.range(0))});
    for (const auto& o : out) events += o.events;
  }
  state.counters["events_per_second"] = benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_GansuEnsemble32)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->UseRealTime();

/// Speed-up against 1 thread on a noisy machine: 1-thread and N-thread replications alternate in one process, and
/// the speed-up is the median over the pairs of their time ratios, so a slow spell of the machine slows both sides
/// of a pair rather than one benchmark run. The first pair warms up and is left out.
///
/// Each round also runs N one-thread replications side by side (one std::thread each): N times their work over
/// their time is the most N threads of this host give when they share nothing (`ceiling`). Cores that are one
/// physical core's hyperthreads, or share a turbo budget, caches or memory bandwidth, put it under N; the
/// engine's own parallel efficiency is then the speed-up over the ceiling (`of_ceiling`).
static void BM_GansuSpeedup(benchmark::State& state) {
  const double scale = static_cast<double>(state.range(0)) / 10.0;
  const auto threads = static_cast<unsigned>(state.range(1));
  const auto pairs = static_cast<std::size_t>(state.range(2));
  const auto p = baseline(scale);
  using Clock = std::chrono::steady_clock;
  auto replication = [&](unsigned t) {
    const auto start = Clock::now();
    auto model = std::make_unique<gansu::GansuModel>(p, 0, t);
    benchmark::DoNotOptimize(model->run());
    model.reset();
    return std::chrono::duration<double>(Clock::now() - start).count();
  };
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
  };
  auto side_by_side = [&] {
    const auto start = Clock::now();
    std::vector<std::thread> team;
    for (unsigned t = 0; t < threads; ++t) team.emplace_back([&] { replication(1); });
    for (auto& t : team) t.join();
    return std::chrono::duration<double>(Clock::now() - start).count();
  };
  std::vector<double> one, many, ratio, ceiling, of_ceiling;
  for (auto _ : state) {
    replication(1), replication(threads), side_by_side();
    for (std::size_t i = 0; i < pairs; ++i) {
      // Alternate which side goes first, so neither always follows the other.
      const bool single_first = i % 2 == 0;
      const double a = replication(single_first ? 1 : threads);
      const double b = replication(single_first ? threads : 1);
      one.push_back(single_first ? a : b);
      many.push_back(single_first ? b : a);
      ratio.push_back(one.back() / many.back());
      ceiling.push_back(threads * one.back() / side_by_side());
      of_ceiling.push_back(ratio.back() / ceiling.back());
    }
  }
  state.counters["speedup"] = median(ratio);
  // The rates' ratio from the medians of each side's times, beside the pairs' median ratio: the two differ when a
  // slow spell slows a pair's two runs unalike.
  state.counters["speedup_of_medians"] = median(one) / median(many);
  state.counters["one_thread_s"] = median(one);
  state.counters["threads_s"] = median(many);
  state.counters["speedup_min"] = *std::min_element(ratio.begin(), ratio.end());
  state.counters["speedup_max"] = *std::max_element(ratio.begin(), ratio.end());
  state.counters["ceiling"] = median(ceiling);
  state.counters["of_ceiling"] = median(of_ceiling);
}
BENCHMARK(BM_GansuSpeedup)
    ->ArgNames({"scale_x10", "threads", "pairs"})
    ->Args({10, 2, 15})
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->UseRealTime();

/// Writing results: a whole-file rewrite holding N finished scale-1 replications (docs/OUTPUT.md).
static void BM_Hdf5Rewrite(benchmark::State& state) {
  auto p = baseline(0.1);
  p.replications = static_cast<std::uint32_t>(state.range(0));
  const auto outcomes = gansu::run_ensemble(p, {0, p.replications, 2});
  const std::string path = (std::filesystem::temp_directory_path() / "innosim_bench.h5").string();
  for (auto _ : state) {
    results::ResultsFile file(path, p, "bench", "bench");
    for (const auto& o : outcomes) file.write(o);
    file.finish();
  }
  std::filesystem::remove(path);
  state.SetItemsProcessed(state.iterations() * p.replications);
}
BENCHMARK(BM_Hdf5Rewrite)->Arg(10)->Arg(100)->Unit(benchmark::kMillisecond);
