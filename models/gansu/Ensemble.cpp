#include "models/gansu/Ensemble.hpp"

#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <mutex>

#include "models/gansu/GansuModel.hpp"

namespace innosim::gansu {

std::vector<Outcome> run_ensemble(const Parameters& params, const EnsembleOptions& options,
                                  const std::function<void(const Outcome&)>& done) {
  return run_ensemble([&params](std::uint32_t) { return params; }, options, done);
}

std::vector<Outcome> run_ensemble(const ParametersOf& params_of, const EnsembleOptions& options,
                                  const std::function<void(const Outcome&)>& done, const std::function<bool()>& stop) {
  std::vector<Outcome> outcomes(options.count);
  std::vector<char> ran(options.count, 0);
  std::mutex report;
  auto one = [&](std::uint32_t i, unsigned threads) {
    if (stop && stop()) return;
    const std::uint32_t replication = options.first + i;
    GansuModel model(params_of(replication), replication, threads);
    outcomes[i] = model.run();
    ran[i] = 1;
    if (done) {
      const std::lock_guard lock(report);
      done(outcomes[i]);
    }
  };
  if (options.count == 1 || options.threads == 1) {
    for (std::uint32_t i = 0; i < options.count; ++i) one(i, options.count == 1 ? options.threads : 1);
  } else {
    // Replications are independent: one per thread beats splitting one replication over threads.
    oneapi::tbb::task_arena arena(static_cast<int>(options.threads));
    arena.execute([&] { oneapi::tbb::parallel_for(0u, options.count, [&](std::uint32_t i) { one(i, 1); }); });
  }
  std::vector<Outcome> finished;
  for (std::uint32_t i = 0; i < options.count; ++i)
    if (ran[i]) finished.push_back(std::move(outcomes[i]));
  return finished;
}

}  // namespace innosim::gansu
