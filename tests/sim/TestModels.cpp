#include "TestModels.hpp"

namespace innosim::test {

ExchangeResult run_exchange(unsigned threads, std::uint64_t seed, std::uint32_t n, double end, sim::Generator generator,
                            bool aligned_windows, const ExchangeRun& how) {
  sim::SimulationConfig cfg;
  cfg.generator = generator;
  cfg.aligned_windows = aligned_windows;
  cfg.end = end;
  cfg.lookahead = 0.5;
  cfg.threads = threads;
  cfg.seed = seed;
  sim::Simulation s(cfg);
  const auto traders = s.add_agents("trader", n);
  const auto broker = s.add_agents("broker", 1);
  std::vector<std::int64_t> money(n, 100);
  std::vector<std::uint32_t> desks_granted(n, 0);
  std::int64_t broker_desks = 50;
  constexpr sim::EdgeType kPaid = 1;

  sim::EventType trade = 0, receive = 0, ask = 0, granted = 0;
  trade = s.add_event("trade", [&](sim::Context& ctx, const sim::Event&) {
    auto& rng = ctx.rng();
    const sim::AgentId self = ctx.self();
    auto& mine = money[self - traders.first];
    if (mine > 0) {
      const auto amount =
          static_cast<std::uint32_t>(1 + rng.below(static_cast<std::uint32_t>(std::min<std::int64_t>(mine, 10))));
      sim::AgentId to = traders[rng.below(n)];
      if (to == self) to = traders[(self - traders.first + 1) % n];
      mine -= amount;
      ctx.schedule(to, ctx.now() + ctx.lookahead() + rng.exponential(1.0), receive, sim::make_payload(amount));
      if (!ctx.graph().has_edge(self, to, kPaid)) ctx.add_edge(self, to, kPaid);
      if (rng.bernoulli(0.05) && ctx.graph().out_degree(self, kPaid) > 0) {
        sim::AgentId first = 0;
        bool found = false;
        ctx.graph().for_each_out(self, kPaid, [&](sim::AgentId t, double) {
          if (!found) first = t, found = true;
        });
        ctx.remove_edge(self, first, kPaid);
      }
      ctx.record(0, static_cast<double>(mine));
    }
    if (rng.bernoulli(0.02)) ctx.schedule(broker[0], ctx.now() + ctx.lookahead(), ask);
    ctx.schedule(self, ctx.now() + rng.exponential(2.0), trade);
  });
  receive = s.add_event("receive", [&](sim::Context& ctx, const sim::Event& e) {
    money[ctx.self() - traders.first] += sim::payload_as<std::uint32_t>(e.payload);
  });
  ask = s.add_event("ask", [&](sim::Context& ctx, const sim::Event& e) {
    // Many traders may ask at the same instant; the engine's order decides who gets the last desk.
    if (broker_desks > 0) {
      --broker_desks;
      ctx.schedule(e.source(), ctx.now() + ctx.lookahead(), granted);
    }
  });
  granted = s.add_event("granted",
                        [&](sim::Context& ctx, const sim::Event&) { ++desks_granted[ctx.self() - traders.first]; });

  DigestObserver digest;
  s.add_observer(&digest);
  std::vector<double> ticks;
  for (double t = 5; t <= end; t += 5) ticks.push_back(t);
  s.add_ticks(ticks);
  for (std::uint32_t i = 0; i < n; ++i) {
    auto rng = s.setup_stream(i);
    s.schedule(traders[i], rng.exponential(1.0), trade);
  }
  auto model_state = [&](auto& codec) {
    codec.vec(money), codec.vec(desks_granted), codec.pod(broker_desks);
    codec.pod(digest.digest), codec.pod(digest.events_seen), codec.pod(digest.records_seen), codec.vec(digest.ticks);
  };
  sim::Pauses pauses;
  pauses.times = how.pause_times;
  bool paused = false;
  pauses.stop_requested = [&] { return how.stop_at_first_pause && paused; };
  pauses.on_pause = [&](double t, bool, std::vector<char> engine) {
    paused = true;
    if (!how.saved) return;
    sim::StateWriter w;
    model_state(w);
    *how.saved = {t, std::move(engine), w.take()};
  };
  s.set_pauses(pauses);
  if (how.resume) {
    s.restore(how.resume->engine);
    sim::StateReader in(how.resume->model, "exchange model state");
    model_state(in);
    in.finish();
  }
  ExchangeResult r;
  r.stats = s.run();
  if (r.stats.stopped) return r;
  for (std::uint32_t i = 0; i < n; ++i) {
    digest.mix(static_cast<std::uint64_t>(money[i]));
    digest.mix(desks_granted[i]);
  }
  for (const auto& edge : s.graph().edges()) {
    digest.mix(edge.source);
    digest.mix(edge.target);
  }
  r.digest = digest.digest;
  r.edges = s.graph().edge_count();
  for (auto m : money) r.total_money += m;
  return r;
}

}  // namespace innosim::test
