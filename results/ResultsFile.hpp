// The HDF5 result file of a scenario run (layout: docs/OUTPUT.md), written replication by replication.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "config/ExperimentDesign.hpp"
#include "models/gansu/Outcome.hpp"
#include "models/gansu/Parameters.hpp"

namespace innosim::results {

/// Crash-safe by whole-file replacement: each time replications finish, a complete file holding all of
/// them is written to FILE.partial.tmp, synced, and renamed over FILE.partial (rename is atomic), so
/// FILE.partial is always a valid file saying `status = partial` whatever moment a crash, `kill -9` or
/// Ctrl-C strikes. finish() writes FILE (`status = complete`) the same way and removes FILE.partial.
/// Rewrites are spaced so that they take at most about a tenth of the run (a replication finished within
/// that spacing is written with the next one); written() tells how many replications FILE.partial holds.
/// Setting INNOSIM_FAULT_KILL_AFTER=N makes the process SIGKILL itself before its N-th HDF5 call (tests).
class ResultsFile {
 public:
  /// `notes` become text attributes of the file (advisories, pinned keys: what the console said of the scenario).
  ResultsFile(const std::string& path, const gansu::Parameters& params, const std::string& scenario_yaml,
              const std::string& command_line, const config::ExperimentDesign& design = {},
              std::uint32_t replications_per_point = 1, std::vector<std::pair<std::string, std::string>> notes = {});
  ~ResultsFile();
  /// Records a finished replication; may rewrite FILE.partial. Returns true if it did.
  bool write(const gansu::Outcome& outcome);
  /// Writes FILE (complete) and removes FILE.partial.
  void finish();
  /// Writes FILE.partial with every finished replication, saying `status = interrupted` (after Ctrl-C).
  void interrupt();
  std::uint32_t written() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace innosim::results
