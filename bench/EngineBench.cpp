// Engine micro benchmarks: random draws, graph edits and walks, window synchronisation, message exchange, recorders.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "models/phold/Phold.hpp"
#include "sim/AgentGraph.hpp"
#include "sim/RandomStream.hpp"
#include "sim/Simulation.hpp"

using namespace innosim;

// Argument: the generator (0 = Philox4x32-10, 1 = SplitMix64).
static sim::RandomStream stream(benchmark::State& state, std::uint64_t* counter) {
  return sim::RandomStream(sim::stream_key(1, 0), 7, sim::StreamDomain::Agent, counter,
                           state.range(0) ? sim::Generator::SplitMix64 : sim::Generator::Philox4x32_10);
}

static void BM_RandomUniform(benchmark::State& state) {
  std::uint64_t counter = 0;
  sim::RandomStream rng = stream(state, &counter);
  double sum = 0;
  for (auto _ : state) sum += rng.uniform();
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RandomUniform)->ArgName("splitmix")->Arg(0)->Arg(1);

static void BM_RandomExponential(benchmark::State& state) {
  std::uint64_t counter = 0;
  sim::RandomStream rng = stream(state, &counter);
  double sum = 0;
  for (auto _ : state) sum += rng.exponential(1.0);
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RandomExponential)->ArgName("splitmix")->Arg(0)->Arg(1);

// A stream rebound to another agent for each draw, as the engine does for each event.
static void BM_RandomUniformPerEvent(benchmark::State& state) {
  std::vector<std::uint64_t> counters(1024, 0);
  sim::RandomStream rng = stream(state, counters.data());
  double sum = 0;
  std::uint32_t agent = 0;
  for (auto _ : state) {
    agent = (agent + 617) & 1023;
    rng.rebind(agent, &counters[agent]);
    sum += rng.uniform();
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RandomUniformPerEvent)->ArgName("splitmix")->Arg(0)->Arg(1);

static void BM_GraphInsertRemove(benchmark::State& state) {
  const auto n = static_cast<std::uint32_t>(state.range(0));
  sim::AgentGraph g(n);
  std::uint64_t counter = 0;
  sim::RandomStream rng(sim::stream_key(1, 0), 0, sim::StreamDomain::Setup, &counter);
  for (std::uint32_t i = 0; i < n; ++i) g.add_edge(i, rng.below(n), 1, 0);  // one edge per vertex on average
  for (auto _ : state) {
    const std::uint32_t a = rng.below(n), b = rng.below(n);
    g.add_edge(a, b, 2, 0);
    g.remove_edge(a, b, 2, 1);
  }
  state.SetItemsProcessed(state.iterations() * 2);
}
BENCHMARK(BM_GraphInsertRemove)->Arg(1000)->Arg(100000)->Arg(1000000);

static void BM_GraphIterateOut(benchmark::State& state) {
  const std::uint32_t n = 100000;
  sim::AgentGraph g(n);
  std::uint64_t counter = 0;
  sim::RandomStream rng(sim::stream_key(1, 0), 0, sim::StreamDomain::Setup, &counter);
  for (std::uint32_t i = 0; i < 4 * n; ++i)
    g.add_edge(rng.below(n), rng.below(n), static_cast<sim::EdgeType>(i % 3), 0);
  std::uint64_t seen = 0;
  for (auto _ : state) g.for_each_out(rng.below(n), 1, [&](sim::AgentId t, double) { seen += t; });
  benchmark::DoNotOptimize(seen);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GraphIterateOut);

/// Windows with almost no work: what one window costs (barrier, delivery, bookkeeping), per thread count.
static void BM_WindowSynchronisation(benchmark::State& state) {
  const auto threads = static_cast<unsigned>(state.range(0));
  std::uint64_t windows = 0;
  for (auto _ : state) {
    sim::SimulationConfig c;
    c.end = 2000;
    c.lookahead = 1;
    c.threads = threads;
    sim::Simulation s(c);
    const auto a = s.add_agents("a", 64);
    sim::EventType tick = 0;
    tick = s.add_event("tick",
                       [&](sim::Context& ctx, const sim::Event&) { ctx.schedule(ctx.self(), ctx.now() + 1, tick); });
    for (std::uint32_t i = 0; i < a.count; ++i) s.schedule(a[i], 0.5, tick);
    windows += s.run().windows;
  }
  state.counters["windows_per_second"] = benchmark::Counter(static_cast<double>(windows), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_WindowSynchronisation)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

namespace {
/// Runs PHOLD once per iteration (manual time: the run only, setup excluded) and reports events per second.
void time_phold(benchmark::State& state, const phold::PholdConfig& c, sim::Observer* observer = nullptr) {
  double seconds = 0;
  std::uint64_t events = 0;
  for (auto _ : state) {
    const auto r = phold::run_phold(c, observer);
    seconds += r.seconds;
    events += r.committed;
    state.SetIterationTime(r.seconds);
  }
  state.counters["events_per_second"] = benchmark::Counter(static_cast<double>(events) / seconds);
}
}  // namespace

/// Every event goes to another agent, most to another block: the cost of the message path.
static void BM_MessageExchange(benchmark::State& state) {
  phold::PholdConfig c;
  c.lps = 16384;
  c.end = 10;
  c.remote = 1.0;
  c.threads = static_cast<unsigned>(state.range(0));
  time_phold(state, c);
}
BENCHMARK(BM_MessageExchange)->Arg(1)->Arg(2)->UseManualTime()->Unit(benchmark::kMillisecond);

/// An observer that sees every committed event (copied, merged and sorted per window): the recorders' path.
static void BM_EventRecorder(benchmark::State& state) {
  struct Count : sim::Observer {
    bool wants_events() const override { return true; }
    void on_events(std::span<const sim::Event> e) override { n += e.size(); }
    std::uint64_t n = 0;
  };
  phold::PholdConfig c;
  c.lps = 4096;
  c.end = 20;
  c.threads = static_cast<unsigned>(state.range(0));
  Count count;
  time_phold(state, c, state.range(1) ? &count : nullptr);
}
BENCHMARK(BM_EventRecorder)
    ->ArgNames({"threads", "recorder"})
    ->Args({1, 0})
    ->Args({1, 1})
    ->Args({2, 1})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
