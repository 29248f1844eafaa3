// The closing summary of T1–T6: value at the end of the run, whether met, per replication and as a share.
#pragma once

#include <string>
#include <vector>

#include "models/gansu/Outcome.hpp"
#include "models/gansu/Parameters.hpp"

namespace innosim::gansu {

struct TargetRow {
  std::string name;     // "T1(a)"
  std::string meaning;  // what is counted
  double threshold = 0;
  bool strict = false;
  std::vector<double> values;  // per replication, at the end
  int met = 0;                 // replications that met it
  bool verdict = true;         // false when the run's scale has no thresholds (POLICY §5a)
};

std::vector<TargetRow> target_rows(const Parameters& p, const std::vector<Outcome>& outcomes);
/// A plain-text table for the terminal.
std::string format_target_table(const Parameters& p, const std::vector<Outcome>& outcomes);

}  // namespace innosim::gansu
