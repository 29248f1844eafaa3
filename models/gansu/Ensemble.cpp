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
                                  const std::function<void(const Outcome&)>& done, const std::function<bool()>& stop,
                                  const EnsembleCheckpoints* checkpoints) {
  std::vector<std::uint32_t> units = options.units;
  if (units.empty())
    for (std::uint32_t i = 0; i < options.count; ++i) units.push_back(options.first + i);
  const auto count = static_cast<std::uint32_t>(units.size());
  std::vector<Outcome> outcomes(count);
  std::vector<char> ran(count, 0);
  std::mutex report;
  auto one = [&](std::uint32_t i, unsigned threads) {
    if (stop && stop()) return;
    const std::uint32_t replication = units[i];
    GansuModel model(params_of(replication), replication, threads);
    if (checkpoints) {
      if (checkpoints->on_save) {
        Checkpoints c;
        c.times = checkpoints->times;
        c.stop_requested = stop;
        c.wanted = checkpoints->wanted;
        c.on_save = [&, replication](double t, bool stopping, std::vector<char> state) {
          checkpoints->on_save(replication, t, stopping, std::move(state));
        };
        model.set_checkpoints(std::move(c));
      }
      if (checkpoints->resume_from)
        if (std::vector<char> state = checkpoints->resume_from(replication); !state.empty())
          model.resume(std::move(state));
    }
    outcomes[i] = model.run();
    if (model.stopped()) return;
    ran[i] = 1;
    if (done) {
      const std::lock_guard lock(report);
      done(outcomes[i]);
    }
  };
  if (count == 1 || options.threads == 1) {
    for (std::uint32_t i = 0; i < count; ++i) one(i, count == 1 ? options.threads : 1);
  } else {
    // Replications are independent: one per thread beats splitting one replication over threads.
    oneapi::tbb::task_arena arena(static_cast<int>(options.threads));
    arena.execute([&] { oneapi::tbb::parallel_for(0u, count, [&](std::uint32_t i) { one(i, 1); }); });
  }
  std::vector<Outcome> finished;
  for (std::uint32_t i = 0; i < count; ++i)
    if (ran[i]) finished.push_back(std::move(outcomes[i]));
  return finished;
}

}  // namespace innosim::gansu
