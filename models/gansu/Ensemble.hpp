// Runs many replications of the Gansu model in parallel on oneTBB, without oversubscribing the cores.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "models/gansu/Outcome.hpp"
#include "models/gansu/Parameters.hpp"

namespace innosim::gansu {

struct EnsembleOptions {
  std::uint32_t first = 0;  // replication indices [first, first + count)
  std::uint32_t count = 1;
  unsigned threads = 1;
};

/// The parameters of replication r (a design point's parameters, or the same for all).
using ParametersOf = std::function<Parameters(std::uint32_t replication)>;

/// Replications run side by side, one thread each; a single replication gets all threads. `done` is
/// called once per finished replication, serially (never two at once), in completion order. Each result
/// depends only on (parameters, seed, index). Returns the outcomes in index order.
std::vector<Outcome> run_ensemble(const Parameters& params, const EnsembleOptions& options,
                                  const std::function<void(const Outcome&)>& done = {});
/// As above with per-replication parameters. `stop` is checked before each replication starts; once it
/// returns true (Ctrl-C) no further one starts, and those are absent from the result.
std::vector<Outcome> run_ensemble(const ParametersOf& params_of, const EnsembleOptions& options,
                                  const std::function<void(const Outcome&)>& done = {},
                                  const std::function<bool()>& stop = {});

}  // namespace innosim::gansu
