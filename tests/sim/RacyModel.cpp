// Deliberately racy: every agent's handler bumps one shared counter without synchronisation, which
// breaks the engine's contract (a handler touches only its own agent's state). The tsan preset must see it.
#include <cstdio>

#include "sim/Simulation.hpp"

int main() {
  innosim::sim::SimulationConfig c;
  c.end = 50;
  c.lookahead = 1;
  c.threads = 4;
  innosim::sim::Simulation s(c);
  const auto a = s.add_agents("a", 64);
  long shared_counter = 0;
  innosim::sim::EventType e = 0;
  e = s.add_event("bump", [&](innosim::sim::Context& ctx, const innosim::sim::Event&) {
    ++shared_counter;  // the race
    ctx.schedule(ctx.self(), ctx.now() + 1, e);
  });
  for (std::uint32_t i = 0; i < a.count; ++i) s.schedule(a[i], 0.5, e);
  s.run();
  std::printf("counter=%ld\n", shared_counter);
}
