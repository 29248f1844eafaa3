// A typed, documented list of the keys a configuration may set: the single source for validation and docs.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace innosim::config {

/// Bounds: a map of names to [lo, hi] pairs (an optimiser's decision variables); the model checks the names.
enum class Kind { Number, Integer, Boolean, Date, Text, Bounds };

/// One settable key ("policy.angel_fund.annual_budget"). Ranged keys are assumptions: a value may be
/// given with its own plausible range ({value: v, range: [lo, hi]}), which uncertainty analysis samples.
struct KeySpec {
  std::string key;
  Kind kind = Kind::Number;
  double min = -1e300;  // allowed values (Number/Integer)
  double max = 1e300;
  std::string default_text;  // as it would be written in YAML
  std::string doc;
  bool ranged = false;
  double range_lo = 0, range_hi = 0;  // default plausible range of a ranged key
  bool schedulable = false;           // Number keys only: may also be a schedule by date {YYYY-MM-DD: v, ...}
  std::string range_source = {};      // where the default range comes from (named in advisories)
};

class ConfigSchema {
 public:
  void add(KeySpec spec);
  const KeySpec* find(const std::string& key) const;
  /// True when some key starts with `prefix.`: lets the loader descend into a map.
  bool has_section(const std::string& prefix) const;
  const std::vector<KeySpec>& keys() const { return keys_; }

 private:
  std::vector<KeySpec> keys_;
  std::map<std::string, std::size_t> index_;
  std::map<std::string, int> sections_;
};

}  // namespace innosim::config
