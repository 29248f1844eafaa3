#include "models/gansu/Ensemble.hpp"

#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <mutex>

#include "models/gansu/GansuModel.hpp"

namespace innosim::gansu {

std::vector<Outcome> run_ensemble(const Parameters& params, const EnsembleOptions& options,
                                  const std::function<void(const Outcome&)>& done) {
  std::vector<Outcome> outcomes(options.count);
  std::mutex report;
  auto one = [&](std::uint32_t i, unsigned threads) {
    GansuModel model(params, options.first + i, threads);
    outcomes[i] = model.run();
    if (done) {
      const std::lock_guard lock(report);
      done(outcomes[i]);
    }
  };
  if (options.count == 1 || options.threads == 1) {
    for (std::uint32_t i = 0; i < options.count; ++i) one(i, options.count == 1 ? options.threads : 1);
    return outcomes;
  }
  // Replications are independent: one per thread beats splitting one replication over threads.
  oneapi::tbb::task_arena arena(static_cast<int>(options.threads));
  arena.execute([&] {
    oneapi::tbb::parallel_for(0u, options.count, [&](std::uint32_t i) { one(i, 1); });
  });
  return outcomes;
}

}  // namespace innosim::gansu
