// A validated configuration: every schema key with its value, where it came from, and its plausible range.
#pragma once

#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "config/ConfigSchema.hpp"

namespace innosim::config {

/// Bad input: the message names the file, line and key (or the override), what was expected and what was found.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Origin {
  std::string file;  // "" for the schema default, "--set" for a command-line override
  int line = 0;
  std::string describe() const;
};

/// One step of a schedule: from `date` (days since 1970-01-01) on, the key has `value`.
struct ScheduleStep {
  double date = 0;
  double value = 0;
  std::string date_text, value_text;  // as given, for the resolved YAML
};

/// One name of a Bounds key with its [lo, hi] as written (the model parses them by the named key's kind).
struct NamedBounds {
  std::string name, lo, hi;
  Origin origin;
};

struct Entry {
  const KeySpec* spec = nullptr;
  std::string text;   // canonical text of the value ("{2016-04-01: 1, 2017-01-01: 2}" for a schedule)
  double number = 0;  // Number, Integer, Boolean (0/1) and Date (days since 1970-01-01); a schedule's first value
  std::vector<ScheduleStep> schedule;  // empty unless the value is a schedule (dates strictly increasing)
  std::vector<NamedBounds> bounds;     // a Bounds key's entries, in the file's order
  double range_lo = 0, range_hi = 0;
  Origin origin;        // where the value was set
  Origin range_origin;  // where the range was set (the schema's table by default)
  // Order of the last value and range assignments: a value set after the range pins a ranged key.
  long value_seq = 0, range_seq = 0;
  /// A ranged key whose last word was a plain value (a later file or --set): designs must not draw it.
  bool pinned() const { return spec && spec->ranged && value_seq > range_seq; }
};

class ConfigValues {
 public:
  ConfigValues() = default;
  explicit ConfigValues(const ConfigSchema& schema);  // all defaults

  double number(const std::string& key) const;
  bool boolean(const std::string& key) const { return number(key) != 0; }
  const std::string& text(const std::string& key) const;
  const Entry& entry(const std::string& key) const;
  const std::map<std::string, Entry>& entries() const { return entries_; }
  Entry& mutable_entry(const std::string& key);

  /// Sets a key from YAML scalar text, checking kind and bounds; throws ConfigError naming `where`.
  void set(const std::string& key, const std::string& text, const Origin& where);
  /// Sets a schedulable key to a schedule: (date text, value text, origin) steps; checks each value's kind and
  /// bounds, and that the dates are valid and strictly increasing. Throws ConfigError naming the step.
  void set_schedule(const std::string& key, const std::vector<std::pair<std::string, std::string>>& steps,
                    const std::vector<Origin>& where);
  void set_range(const std::string& key, double lo, double hi, const Origin& where);
  /// Sets a Bounds key: names with [lo, hi] texts (a name given twice is an error).
  void set_bounds(const std::string& key, std::vector<NamedBounds> bounds, const Origin& where);

  /// Advisory notes on values that are allowed but outside their plausible range (naming the range's source).
  std::vector<std::string> advisories() const;

  /// The whole resolved configuration as YAML (nested maps, ranged keys as {value, range}, schedules as maps).
  /// With `note`, each value is followed by a comment: note(key, entry).
  std::string to_yaml(const std::function<std::string(const std::string&, const Entry&)>& note = {}) const;

 private:
  std::map<std::string, Entry> entries_;
  long seq_ = 0;
};

/// Loads a YAML file (following `extends:` chains, relative to each file), then applies overrides
/// "key=value". Unknown keys, wrong types, out-of-range values, cycles and missing files are ConfigErrors.
ConfigValues load_config(const ConfigSchema& schema, const std::string& path,
                         const std::vector<std::string>& overrides = {});

}  // namespace innosim::config
