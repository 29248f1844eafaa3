// The HDF5 result file of a scenario run (layout: docs/OUTPUT.md), written replication by replication.
#pragma once

#include <memory>
#include <string>

#include "models/gansu/Outcome.hpp"
#include "models/gansu/Parameters.hpp"

namespace innosim::results {

/// Creates FILE.partial with every dataset sized for all replications, writes each finished replication
/// (and flushes), and on finish() marks the file complete and renames it to FILE. A crash leaves
/// FILE.partial holding the replications flagged in `completed`.
class ResultsFile {
 public:
  ResultsFile(const std::string& path, const gansu::Parameters& params, const std::string& scenario_yaml,
              const std::string& command_line);
  ~ResultsFile();
  void write(const gansu::Outcome& outcome);
  void finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace innosim::results
