// PHOLD, the standard parallel discrete-event benchmark, as an innosim model (semantics: shared/bench/PHOLD.md).
#pragma once

#include <cstdint>

#include "sim/Simulation.hpp"

namespace innosim::phold {

struct PholdConfig {
  std::uint32_t lps = 1024;
  std::uint32_t events_per_lp = 16;
  double remote = 0.1;  // probability that a new event goes to an LP drawn uniformly from all N
  double lookahead = 0.1;
  double mean = 1.0;  // mean delay: lookahead + Exp(mean - lookahead)
  double end = 1000;
  unsigned threads = 1;
  unsigned blocks = 0;
  std::uint64_t seed = 1;
  // The yardstick loop (phold_heap_ref.cpp) draws with SplitMix64, so by default PHOLD does too: the two
  // rates then differ by engine, not by generator. Philox is the engine's default for models.
  sim::Generator generator = sim::Generator::SplitMix64;
  bool aligned_windows = true;  // PHOLD never reads the graph: windows on the lookahead grid change nothing
};

struct PholdResult {
  std::uint64_t committed = 0;
  std::uint64_t sent = 0;           // events scheduled by handlers
  std::uint64_t sent_to_other = 0;  // of which to another LP
  double seconds = 0;               // wall time of the run, setup excluded
  sim::RunStats stats;
  double events_per_second() const { return seconds > 0 ? committed / seconds : 0; }
  double remote_share() const { return sent ? static_cast<double>(sent_to_other) / sent : 0; }
};

/// Runs PHOLD; `observer` (optional) sees every committed event, e.g. to digest the trace.
PholdResult run_phold(const PholdConfig& config, sim::Observer* observer = nullptr);

}  // namespace innosim::phold
