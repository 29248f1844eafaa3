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

/// Replications run side by side, one thread each; a single replication gets all threads. `done` is
/// called once per finished replication, serially (never two at once), in completion order. Each result
/// depends only on (parameters, seed, index). Returns the outcomes in index order.
std::vector<Outcome> run_ensemble(const Parameters& params, const EnsembleOptions& options,
                                  const std::function<void(const Outcome&)>& done = {});

}  // namespace innosim::gansu
