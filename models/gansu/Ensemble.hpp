// Runs many replications of the Gansu model in parallel on oneTBB, without oversubscribing the cores.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "models/gansu/Outcome.hpp"
#include "models/gansu/Parameters.hpp"

namespace innosim::gansu {

struct EnsembleOptions {
  EnsembleOptions(std::uint32_t first_index = 0, std::uint32_t replications = 1, unsigned thread_count = 1)
      : first(first_index), count(replications), threads(thread_count) {}
  std::uint32_t first = 0;  // replication indices [first, first + count)
  std::uint32_t count = 1;
  unsigned threads = 1;
  std::vector<std::uint32_t> units;  // if not empty: these replication indices instead (a resumed run's remainder)
};

/// Checkpoints of an ensemble's replications (GansuModel's Checkpoints, per replication).
struct EnsembleCheckpoints {
  std::vector<double> times;  // simulated days at which each replication saves its state
  /// Replication r's state: called from the thread that runs r, several replications at once. With `stopping`
  /// (the ensemble's stop became true) r ends there, unfinished.
  std::function<void(std::uint32_t replication, double time, bool stopping, std::vector<char> state)> on_save;
  /// Polled at a pause that does not stop: false skips it without building the state. Unset: every pause saves.
  std::function<bool()> wanted;
  /// The saved state replication r continues from, or empty to start it afresh.
  std::function<std::vector<char>(std::uint32_t replication)> resume_from;
};

/// The parameters of replication r (a design point's parameters, or the same for all).
using ParametersOf = std::function<Parameters(std::uint32_t replication)>;

/// Replications run side by side, one thread each; a single replication gets all threads. `done` is
/// called once per finished replication, serially (never two at once), in completion order. Each result
/// depends only on (parameters, seed, index). Returns the outcomes in index order.
std::vector<Outcome> run_ensemble(const Parameters& params, const EnsembleOptions& options,
                                  const std::function<void(const Outcome&)>& done = {});
/// As above with per-replication parameters. `stop` is checked before each replication starts; once it
/// returns true (Ctrl-C) no further one starts, and those are absent from the result. With `checkpoints` that
/// save, the running ones also stop at their next window boundary and save their state (on_save's `stopping`).
std::vector<Outcome> run_ensemble(const ParametersOf& params_of, const EnsembleOptions& options,
                                  const std::function<void(const Outcome&)>& done = {},
                                  const std::function<bool()>& stop = {},
                                  const EnsembleCheckpoints* checkpoints = nullptr);

}  // namespace innosim::gansu
