#include <gtest/gtest.h>

#include <array>
#include <functional>
#include <numeric>
#include <stdexcept>
#include <string>

#include "sim/Simulation.hpp"

using namespace innosim::sim;

namespace {
struct Log : Observer {
  bool wants_events() const override { return true; }
  void on_events(std::span<const Event> events) override { seen.insert(seen.end(), events.begin(), events.end()); }
  void on_records(std::span<const Record> r) override { records.insert(records.end(), r.begin(), r.end()); }
  void on_tick(double t) override { ticks.push_back({t, seen.size()}); }
  std::vector<Event> seen;
  std::vector<Record> records;
  std::vector<std::pair<double, std::size_t>> ticks;
};
SimulationConfig config(unsigned threads = 1, double end = 10, double lookahead = 1) {
  SimulationConfig c;
  c.end = end;
  c.lookahead = lookahead;
  c.threads = threads;
  return c;
}
}  // namespace

TEST(Simulation, OrdersEventsByTimeThenSourceThenSendOrder) {
  for (unsigned threads : {1u, 2u}) {
    Simulation s(config(threads));
    const auto a = s.add_agents("a", 8);
    const auto fan = s.add_event("fan", [&](Context& ctx, const Event&) {
      // Every agent sends two events to agent 0 at the same time: ties broken by (source, send order).
      ctx.schedule(a[0], 5.0, 1);
      ctx.schedule(a[0], 5.0, 1);
    });
    s.add_event("sink", [](Context&, const Event&) {});
    for (std::uint32_t i = 8; i-- > 0;) s.schedule(a[i], 1.0, fan);  // setup order: 7, 6, ..., 0
    Log log;
    s.add_observer(&log);
    s.run();
    ASSERT_EQ(log.seen.size(), 24u);
    // Setup events at t=1 in call order (agent 7 first), regardless of target.
    for (int i = 0; i < 8; ++i) EXPECT_EQ(log.seen[i].target, a[7 - i]);
    for (int i = 0; i < 16; ++i) {
      const Event& e = log.seen[8 + i];
      EXPECT_EQ(e.time, 5.0);
      EXPECT_EQ(e.source(), a[i / 2]);
      EXPECT_EQ(e.tie & 0xFFFFFFFF, static_cast<std::uint64_t>(i % 2));
    }
  }
}

TEST(Simulation, LookaheadViolationOntoAnotherAgentIsAClearError) {
  Simulation s(config(2, 10, 1.0));
  const auto a = s.add_agents("firm", 4);
  s.add_event("poke", [&](Context& ctx, const Event&) { ctx.schedule(a[1], ctx.now() + 0.5, 0); });
  s.schedule(a[0], 2.0, 0);
  try {
    s.run();
    FAIL() << "expected a lookahead violation";
  } catch (const SimulationError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("lookahead violation"), std::string::npos) << msg;
    EXPECT_NE(msg.find("'poke'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("agent 0 ('firm')"), std::string::npos) << msg;
    EXPECT_NE(msg.find("t=2.5"), std::string::npos) << msg;
  }
}

TEST(Simulation, SelfEventsMayFallInsideTheWindow) {
  Simulation s(config(1, 10, 1.0));
  const auto a = s.add_agents("a", 1);
  int count = 0;
  EventType tick = 0;
  tick = s.add_event("self", [&](Context& ctx, const Event&) {
    ++count;
    if (count < 5) ctx.schedule(a[0], ctx.now() + 0.1, tick);
  });
  s.schedule(a[0], 1.0, tick);
  EXPECT_EQ(s.run().committed, 5u);
}

TEST(Simulation, RejectsSchedulingInThePastAndUnknownTargets) {
  {
    Simulation s(config());
    s.add_agents("a", 2);
    s.add_event("back", [](Context& ctx, const Event&) { ctx.schedule(ctx.self(), ctx.now() - 1, 0); });
    s.schedule(0, 3.0, 0);
    EXPECT_THROW(s.run(), SimulationError);
  }
  {
    Simulation s(config());
    s.add_agents("a", 2);
    s.add_event("nowhere", [](Context& ctx, const Event&) { ctx.schedule(99, ctx.now() + 5, 0); });
    s.schedule(0, 3.0, 0);
    EXPECT_THROW(s.run(), SimulationError);
  }
  Simulation s(config());
  s.add_agents("a", 2);
  s.add_event("x", [](Context&, const Event&) {});
  EXPECT_THROW(s.schedule(5, 1.0, 0), SimulationError);
  EXPECT_THROW(s.schedule(0, 1.0, 3), SimulationError);
  EXPECT_THROW(s.schedule(0, -1.0, 0), SimulationError);
  EXPECT_THROW(Simulation(config(1, 10, 0.0)), SimulationError);
  EXPECT_THROW(Simulation(config(1, -1, 1.0)), SimulationError);
}

TEST(Simulation, GraphEditsLandAtWindowEndInEventOrder) {
  for (unsigned threads : {1u, 3u}) {
    Simulation s(config(threads, 10, 1.0));
    const auto a = s.add_agents("a", 6);
    std::vector<std::size_t> degree_seen(6, 99);
    const auto link = s.add_event("link", [&](Context& ctx, const Event&) {
      ctx.add_edge(ctx.self(), a[0], 3);
      degree_seen[ctx.self()] = ctx.graph().out_degree(ctx.self(), 3);  // not yet visible
    });
    const auto unlink = s.add_event("unlink", [&](Context& ctx, const Event&) {
      degree_seen[ctx.self()] = ctx.graph().out_degree(ctx.self(), 3);  // visible in a later window
      ctx.remove_edge(ctx.self(), a[0], 3);
    });
    for (std::uint32_t i = 1; i < 6; ++i) {
      s.schedule(a[i], 1.0, link);
      if (i % 2) s.schedule(a[i], 4.0, unlink);
    }
    s.graph().keep_history(true);
    s.run();
    EXPECT_EQ(s.graph().edge_count(3), 2u);  // agents 2 and 4 keep theirs
    EXPECT_EQ(degree_seen[1], 1u);
    EXPECT_EQ(degree_seen[2], 0u);
    const auto edges = s.graph().edges();
    ASSERT_EQ(edges.size(), 5u);
    EXPECT_EQ(edges[0].source, a[1]);
    EXPECT_EQ(edges[0].start, 1.0);
    EXPECT_EQ(edges[0].end, 4.0);
  }
}

// An edit at 0.5 is visible to a read at 1.2 only if a window ends between them: windows from the earliest
// event run [0.5, 1.5); windows on the lookahead grid run [0.5, 1), [1.2, 2).
TEST(Simulation, AlignedWindowsEndOnTheLookaheadGrid) {
  for (bool aligned : {false, true}) {
    for (unsigned threads : {1u, 2u}) {
      SimulationConfig c = config(threads, 10, 1.0);
      c.aligned_windows = aligned;
      Simulation s(c);
      const auto a = s.add_agents("a", 2);
      std::size_t seen = 99;
      const auto link = s.add_event("link", [&](Context& ctx, const Event&) { ctx.add_edge(a[0], a[1], 1); });
      const auto look =
          s.add_event("look", [&](Context& ctx, const Event&) { seen = ctx.graph().out_degree(a[0], 1); });
      s.schedule(a[0], 0.5, link);
      s.schedule(a[1], 1.2, look);
      const RunStats stats = s.run();
      EXPECT_EQ(seen, aligned ? 1u : 0u) << "aligned " << aligned << ", threads " << threads;
      EXPECT_EQ(stats.windows, aligned ? 2u : 1u);
    }
  }
}

TEST(Simulation, TicksSeeAllEarlierEventsAndRecordsArriveInOrder) {
  Simulation s(config(2, 10, 1.0));
  const auto a = s.add_agents("a", 4);
  EventType step = 0;
  step = s.add_event("step", [&](Context& ctx, const Event&) {
    ctx.record(7, ctx.now());
    ctx.record(8, ctx.now());
    if (ctx.now() + 1.5 <= 10) ctx.schedule(ctx.self(), ctx.now() + 1.5, step);
  });
  for (std::uint32_t i = 0; i < 4; ++i) s.schedule(a[i], 0.25 * (i + 1), step);
  Log log;
  s.add_observer(&log);
  s.add_ticks({5.0, 2.0, 10.0, 11.0});
  s.run();
  ASSERT_EQ(log.ticks.size(), 3u);  // 11 is after the end
  EXPECT_EQ(log.ticks[0].first, 2.0);
  for (auto [t, n] : log.ticks) {
    for (std::size_t i = 0; i < log.seen.size(); ++i) EXPECT_EQ(log.seen[i].time < t, i < n) << t;
  }
  for (std::size_t i = 1; i < log.records.size(); ++i) {
    const auto& p = log.records[i - 1];
    const auto& r = log.records[i];
    EXPECT_TRUE(p.time < r.time || (p.time == r.time && (p.tie < r.tie || (p.tie == r.tie && p.index < r.index))));
  }
  EXPECT_EQ(log.records.size(), 2 * log.seen.size());
}

// An observer that says it never reads the graph is called while the window's edits are applied: it still
// gets every record, event and tick, in the same order and with the same state as one that waits.
TEST(Simulation, ObserversThatDoNotReadTheGraphSeeTheSameRunWhileEditsLand) {
  struct Blind : Log {
    bool reads_graph() const override { return false; }
  };
  auto run = [](Log& log) {
    Simulation s(config(2, 30, 1.0));
    const auto a = s.add_agents("a", 64);
    EventType step = 0;
    std::vector<int> state(64, 0);
    step = s.add_event("step", [&](Context& ctx, const Event&) {
      const std::uint32_t me = ctx.self() - a.first;
      ++state[me];
      ctx.record(1, state[me]);
      ctx.add_edge(ctx.self(), a[(me + 1) % 64], 1);
      if (state[me] % 3 == 0) ctx.remove_edge(ctx.self(), a[(me + 1) % 64], 1);
      ctx.schedule(ctx.self(), ctx.now() + 0.5 + ctx.rng().uniform(), step);
    });
    for (std::uint32_t i = 0; i < 64; ++i) s.schedule(a[i], 0.01 * i, step);
    std::vector<int> total_at_tick;
    // Sums in parts at once, as a model's capture does: concurrently() from a tick, which in the blind run is
    // called while the edits are applied (the engine's threads are then in use).
    struct Sum : Observer {
      Simulation* sim;
      std::vector<int>* state;
      std::vector<int>* out;
      bool reads_graph() const override { return false; }
      void on_tick(double) override {
        std::array<int, 4> part{};
        std::vector<std::function<void()>> tasks;
        for (std::size_t p = 0; p < part.size(); ++p)
          tasks.emplace_back([&, p] {
            const auto from = state->begin() + static_cast<std::ptrdiff_t>(16 * p);
            part[p] = std::accumulate(from, from + 16, 0);
          });
        sim->concurrently(tasks);
        const int total = std::accumulate(part.begin(), part.end(), 0);
        EXPECT_EQ(total, std::accumulate(state->begin(), state->end(), 0));
        out->push_back(total);
      }
    } sum;
    sum.sim = &s;
    sum.state = &state;
    sum.out = &total_at_tick;
    s.add_observer(&log);
    s.add_observer(&sum);  // reads no graph: the log decides whether the observers wait for the edits
    std::vector<double> ticks;
    for (int m = 1; m < 30; ++m) ticks.push_back(m);
    s.add_ticks(ticks);
    s.run();
    EXPECT_GT(s.graph().created_count(1), 0u);
    return total_at_tick;
  };
  Log waits;
  Blind blind;
  const auto waited = run(waits);
  const auto totals = run(blind);
  EXPECT_EQ(totals.size(), 29u);
  EXPECT_EQ(totals, waited);
  ASSERT_EQ(blind.seen.size(), waits.seen.size());
  for (std::size_t i = 0; i < waits.seen.size(); ++i) {
    EXPECT_EQ(blind.seen[i].time, waits.seen[i].time);
    EXPECT_EQ(blind.seen[i].tie, waits.seen[i].tie);
    EXPECT_EQ(blind.seen[i].target, waits.seen[i].target);
  }
  ASSERT_EQ(blind.records.size(), waits.records.size());
  for (std::size_t i = 0; i < waits.records.size(); ++i) EXPECT_EQ(blind.records[i].value, waits.records[i].value);
  EXPECT_EQ(blind.ticks, waits.ticks);
}

TEST(Simulation, IsAValueSoManyCanRunInOneProcess) {
  auto make = [](std::uint64_t seed) {
    SimulationConfig c = config(1, 20, 1);
    c.seed = seed;
    Simulation s(c);
    s.add_agents("a", 3);
    auto hits = std::make_shared<std::vector<double>>();
    s.add_event("e", [hits](Context& ctx, const Event& ev) {
      hits->push_back(ctx.now());
      ctx.schedule(ctx.self(), ctx.now() + 1 + ctx.rng().exponential(1), ev.type);
    });
    s.schedule(0, 0.5, 0);
    return std::make_pair(std::move(s), hits);
  };
  auto [s1, h1] = make(5);
  auto [s2, h2] = make(5);
  auto [s3, h3] = make(6);
  s1.run();
  s3.run();
  s2.run();
  EXPECT_EQ(*h1, *h2);
  EXPECT_NE(*h1, *h3);
}

TEST(Simulation, ConcurrentlyRunsEveryTaskAndRethrowsTheFirstFailureInTaskOrder) {
  for (unsigned threads : {1u, 2u}) {
    Simulation s(config(threads));
    std::vector<int> done(6, 0);
    std::vector<std::function<void()>> tasks;
    for (int i = 0; i < 6; ++i) tasks.emplace_back([&done, i] { done[static_cast<std::size_t>(i)] = i + 1; });
    s.concurrently(tasks);
    EXPECT_EQ(done, (std::vector<int>{1, 2, 3, 4, 5, 6}));
    try {
      s.concurrently({[] {}, [] { throw std::runtime_error("second"); }, [] { throw std::runtime_error("third"); }});
      ADD_FAILURE() << "no exception";
    } catch (const std::runtime_error& e) {
      EXPECT_STREQ(e.what(), "second");
    }
  }
}

TEST(Simulation, AgentStorageIsMadeOnceWhereverItIsAskedFor) {
  Simulation s(config(2));
  const AgentType a = s.add_agents("a", 100);
  const AgentType b = s.add_agents("b", 50);
  EXPECT_EQ(b.first, 100u);
  std::vector<int> drawn;
  s.concurrently({[&] { s.allocate_agents(); }, [&] { drawn.assign(10, 1); }});
  EXPECT_EQ(drawn.size(), 10u);
  EXPECT_EQ(s.graph().vertex_count(), 150u);
  s.allocate_agents();  // idempotent
  s.graph().add_edge(a[3], b[7], 0, 0);
  EXPECT_EQ(s.graph().vertex_count(), 150u);
  EXPECT_EQ(s.graph().edge_count(), 1u);
  // A type added after the storage was made gets its vertices too.
  s.add_agents("c", 5);
  EXPECT_EQ(s.graph().vertex_count(), 155u);
  EXPECT_TRUE(s.graph().has_edge(a[3], b[7], 0));
}

TEST(Simulation, DealsAgentsToBlocksInStripesSoEachBlockGetsAShareOfEveryType) {
  // All the load is on the first type (the first half of the ids): contiguous blocks would leave half the
  // blocks idle.
  SimulationConfig c = config(2, 50, 1);
  c.blocks = 4;
  Simulation s(c);
  const AgentType busy = s.add_agents("busy", 4096);
  s.add_agents("idle", 4096);
  s.add_event("tick", [](Context& ctx, const Event& ev) { ctx.schedule(ctx.self(), ctx.now() + 1, ev.type); });
  for (std::uint32_t i = 0; i < busy.count; ++i) s.schedule(busy[i], 0.5, 0);
  const RunStats st = s.run();
  ASSERT_EQ(st.events_per_block.size(), 4u);
  for (std::uint64_t n : st.events_per_block) EXPECT_EQ(n, st.committed / 4);
}

TEST(Simulation, ReportsTheWindowsBusyShareAndTheirLoadImbalance) {
  // All the work is on one agent, so in one block: on two threads one works and one waits, half the windows'
  // thread time; on one thread nothing is left unbalanced. The bounds leave room for a loaded machine.
  auto run = [](unsigned threads) {
    Simulation s(config(threads, 40, 1));
    s.add_agents("a", 64);
    s.add_event("work", [](Context& ctx, const Event& ev) {
      volatile double x = 1;
      for (int i = 0; i < 20000; ++i) x = x * 1.0000001;
      ctx.schedule(ctx.self(), ctx.now() + 0.25, ev.type);
    });
    s.schedule(0, 0.5, 0);
    return s.run();
  };
  const RunStats one = run(1);
  EXPECT_EQ(one.imbalance_seconds, 0.0);
  EXPECT_GT(busy_share(one), 0.5);
  EXPECT_LE(busy_share(one), 1.0);
  const RunStats two = run(2);
  EXPECT_LE(two.busy_seconds, 2 * two.window_seconds);
  EXPECT_LT(busy_share(two), 0.75);
  EXPECT_GT(imbalance_share(two), 0.25);
  EXPECT_LE(imbalance_share(two), 0.5);
}

TEST(Simulation, TalliesSumEachWindowBeforeItsTicksWhateverTheThreadCount) {
  struct Sums : Observer {
    bool wants_events() const override { return true; }
    void on_events(std::span<const Event> e) override { events += static_cast<std::int64_t>(e.size()); }
    void on_tallies(std::span<const std::int64_t> s) override {
      for (std::size_t i = 0; i < s.size(); ++i) total[i] += s[i];
      ++calls;
    }
    void on_tick(double) override { at_tick.push_back({total[0], events}); }
    std::array<std::int64_t, 2> total{};
    std::int64_t events = 0;
    int calls = 0;
    std::vector<std::pair<std::int64_t, std::int64_t>> at_tick;
  };
  auto run = [](unsigned threads) {
    Simulation s(config(threads, 20, 1));
    const auto a = s.add_agents("a", 256);
    const TallyId up = s.add_tally("up"), down = s.add_tally("down");
    EXPECT_EQ(up, 0);
    EXPECT_EQ(down, 1);
    EXPECT_EQ(s.tally_names(), (std::vector<std::string>{"up", "down"}));
    s.add_event("step", [&](Context& ctx, const Event& ev) {
      ctx.tally(up, 1);
      ctx.tally(down, -static_cast<std::int64_t>(ctx.self() % 3));
      ctx.schedule((ctx.self() * 7 + 1) % 256, ctx.now() + 1 + ctx.rng().uniform(), ev.type);
    });
    for (std::uint32_t i = 0; i < a.count; ++i) s.schedule(a[i], 0.5 + i * 0.001, 0);
    s.add_ticks({5, 10, 15});
    Sums sums;
    s.add_observer(&sums);
    const RunStats st = s.run();
    EXPECT_EQ(sums.total[0], static_cast<std::int64_t>(st.committed));
    return sums;
  };
  const Sums one = run(1);
  EXPECT_GT(one.calls, 1);
  EXPECT_LT(one.total[1], 0);
  ASSERT_EQ(one.at_tick.size(), 3u);
  // A tick sees the tallies of every event before it, as it sees the events.
  for (const auto& [tallied, seen] : one.at_tick) EXPECT_EQ(tallied, seen);
  for (unsigned threads : {2u, 3u}) {
    const Sums other = run(threads);
    EXPECT_EQ(other.total, one.total);
    EXPECT_EQ(other.at_tick, one.at_tick);
  }
}

TEST(Simulation, AnUnknownTallyIsAClearError) {
  Simulation s(config(2));
  s.add_agents("a", 4);
  s.add_tally("only");
  s.add_event("bad", [](Context& ctx, const Event&) { ctx.tally(1, 1); });
  s.schedule(0, 1.0, 0);
  try {
    s.run();
    FAIL() << "expected an error";
  } catch (const SimulationError& e) {
    EXPECT_NE(std::string(e.what()).find("tally 1, which is not registered (1 tallies)"), std::string::npos)
        << e.what();
  }
}
