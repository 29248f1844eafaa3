#include "models/phold/Phold.hpp"

#include <chrono>
#include <numeric>
#include <vector>

namespace innosim::phold {

PholdResult run_phold(const PholdConfig& config, sim::Observer* observer) {
  sim::SimulationConfig sc;
  sc.start = 0;
  sc.end = config.end;
  sc.lookahead = config.lookahead;
  sc.threads = config.threads;
  sc.blocks = config.blocks;
  sc.seed = config.seed;
  sc.generator = config.generator;
  sc.aligned_windows = config.aligned_windows;
  sim::Simulation simulation(sc);
  const sim::AgentType lps = simulation.add_agents("lp", config.lps);

  // Per-LP counters, each written only by its own LP's handler.
  std::vector<std::uint64_t> sent(config.lps, 0), sent_to_other(config.lps, 0);
  const double extra_mean = config.mean - config.lookahead;
  const std::uint32_t n = config.lps;
  const double remote = config.remote, lookahead = config.lookahead;
  sim::EventType hop = 0;
  hop = simulation.add_event("hop", [&](sim::Context& ctx, const sim::Event&) {
    sim::RandomStream& rng = ctx.rng();
    const sim::AgentId self = ctx.self();
    const sim::AgentId to = rng.uniform() < remote ? rng.below(n) : self;
    ctx.schedule(to, ctx.now() + lookahead + rng.exponential(extra_mean), hop);
    ++sent[self - lps.first];
    sent_to_other[self - lps.first] += to != self;
  });
  if (observer) simulation.add_observer(observer);

  for (std::uint32_t i = 0; i < n; ++i) {
    sim::RandomStream rng = simulation.setup_stream(i);
    for (std::uint32_t k = 0; k < config.events_per_lp; ++k)
      simulation.schedule(lps[i], lookahead + rng.exponential(extra_mean), hop);
  }

  PholdResult result;
  const auto t0 = std::chrono::steady_clock::now();
  result.stats = simulation.run();
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  result.committed = result.stats.committed;
  result.sent = std::accumulate(sent.begin(), sent.end(), std::uint64_t{0});
  result.sent_to_other = std::accumulate(sent_to_other.begin(), sent_to_other.end(), std::uint64_t{0});
  return result;
}

}  // namespace innosim::phold
