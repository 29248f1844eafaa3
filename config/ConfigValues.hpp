// A validated configuration: every schema key with its value, where it came from, and its plausible range.
#pragma once

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

struct Entry {
  const KeySpec* spec = nullptr;
  std::string text;   // canonical text of the value
  double number = 0;  // Number, Integer, Boolean (0/1) and Date (days since 1970-01-01)
  double range_lo = 0, range_hi = 0;
  Origin origin;
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
  void set_range(const std::string& key, double lo, double hi, const Origin& where);

  /// The whole resolved configuration as YAML (nested maps, ranged keys as {value, range}).
  std::string to_yaml() const;

 private:
  std::map<std::string, Entry> entries_;
};

/// Loads a YAML file (following `extends:` chains, relative to each file), then applies overrides
/// "key=value". Unknown keys, wrong types, out-of-range values, cycles and missing files are ConfigErrors.
ConfigValues load_config(const ConfigSchema& schema, const std::string& path,
                         const std::vector<std::string>& overrides = {});

}  // namespace innosim::config
