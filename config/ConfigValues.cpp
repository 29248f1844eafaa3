#include "config/ConfigValues.hpp"

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "sim/Calendar.hpp"

namespace innosim::config {

namespace {

const char* kind_name(const KeySpec& s) {
  switch (s.kind) {
    case Kind::Number:
      return "a number";
    case Kind::Integer:
      return "an integer";
    case Kind::Boolean:
      return "true or false";
    case Kind::Date:
      return "a date YYYY-MM-DD";
    case Kind::Text:
      return "a text";
    case Kind::Bounds:
      return "a map of keys to [lo, hi]";
  }
  return "a value";
}

std::string expected(const KeySpec& s) {
  std::ostringstream o;
  o << kind_name(s);
  if ((s.kind == Kind::Number || s.kind == Kind::Integer) && (s.min > -1e299 || s.max < 1e299)) {
    o << " in [" << s.min << ", ";
    if (s.max < 1e299)
      o << s.max;
    else
      o << "inf";
    o << "]";
  }
  return o.str();
}

[[noreturn]] void fail(const Origin& where, const std::string& key, const std::string& what) {
  throw ConfigError(where.describe() + ": key '" + key + "': " + what);
}

}  // namespace

std::string Origin::describe() const {
  if (file.empty()) return "default";
  if (file == "--set") return "command-line override --set";
  if (line == 0) return file;
  return file + ":" + std::to_string(line);
}

ConfigValues::ConfigValues(const ConfigSchema& schema) {
  for (const KeySpec& spec : schema.keys()) {
    Entry& e = entries_[spec.key];
    e.spec = &spec;
    e.range_lo = spec.range_lo;
    e.range_hi = spec.range_hi;
    set(spec.key, spec.default_text, Origin{});
    e.range_origin = Origin{spec.range_source, 0};
    e.range_seq = ++seq_;
  }
}

const Entry& ConfigValues::entry(const std::string& key) const {
  auto it = entries_.find(key);
  if (it == entries_.end()) throw ConfigError("internal: no configuration key '" + key + "'");
  return it->second;
}
Entry& ConfigValues::mutable_entry(const std::string& key) { return const_cast<Entry&>(entry(key)); }
double ConfigValues::number(const std::string& key) const { return entry(key).number; }
const std::string& ConfigValues::text(const std::string& key) const { return entry(key).text; }

void ConfigValues::set(const std::string& key, const std::string& raw, const Origin& where) {
  auto it = entries_.find(key);
  if (it == entries_.end()) fail(where, key, "unknown key");
  Entry& e = it->second;
  const KeySpec& s = *e.spec;
  std::string text = raw;
  auto bad = [&]() { fail(where, key, "expected " + expected(s) + ", got '" + raw + "'"); };
  switch (s.kind) {
    case Kind::Number:
    case Kind::Integer: {
      std::size_t used = 0;
      double v = 0;
      try {
        v = std::stod(text, &used);
      } catch (...) {
        bad();
      }
      if (used != text.size() || !std::isfinite(v)) bad();
      if (s.kind == Kind::Integer && v != std::floor(v)) bad();
      if (v < s.min || v > s.max) bad();
      e.number = v;
      break;
    }
    case Kind::Boolean:
      if (text == "true" || text == "yes" || text == "on") {
        e.number = 1, text = "true";
      } else if (text == "false" || text == "no" || text == "off") {
        e.number = 0, text = "false";
      } else {
        bad();
      }
      break;
    case Kind::Date: {
      const auto d = sim::Calendar::parse(text);
      if (!d) bad();
      e.number = static_cast<double>(std::chrono::sys_days(*d).time_since_epoch().count());
      break;
    }
    case Kind::Text:
      break;
    case Kind::Bounds:
      if (text != "{}") bad();  // only the empty map is a scalar; set_bounds sets the rest
      e.bounds.clear();
      break;
  }
  e.text = text;
  e.origin = where;
  e.schedule.clear();
  e.value_seq = ++seq_;
}

void ConfigValues::set_schedule(const std::string& key, const std::vector<std::pair<std::string, std::string>>& steps,
                                const std::vector<Origin>& where) {
  auto it = entries_.find(key);
  if (it == entries_.end()) fail(Origin{}, key, "unknown key");
  Entry& e = it->second;
  if (steps.empty() || where.size() != steps.size())
    fail(Origin{}, key, "expected a schedule {YYYY-MM-DD: value, ...} with at least one date");
  if (!e.spec->schedulable) fail(where.front(), key, "takes a single value, not a schedule");
  std::vector<ScheduleStep> schedule;
  std::string text = "{";
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const auto& [date_text, value_text] = steps[i];
    const auto d = sim::Calendar::parse(date_text);
    if (!d) fail(where[i], key, "schedule date: expected a date YYYY-MM-DD, got '" + date_text + "'");
    const double date = static_cast<double>(std::chrono::sys_days(*d).time_since_epoch().count());
    if (!schedule.empty() && date <= schedule.back().date)
      fail(where[i], key, "schedule dates must increase: " + date_text + " comes after a later or equal date");
    set(key, value_text, where[i]);  // checks the value's kind and bounds
    schedule.push_back({date, e.number, date_text, e.text});
    text += (i ? ", " : "") + date_text + ": " + e.text;
  }
  e.schedule = std::move(schedule);
  e.number = e.schedule.front().value;
  e.text = text + "}";
  e.origin = where.front();
}

void ConfigValues::set_range(const std::string& key, double lo, double hi, const Origin& where) {
  Entry& e = mutable_entry(key);
  if (!e.spec->ranged) fail(where, key, "this key is not an assumption and takes no range");
  if (!(lo <= hi) || lo < e.spec->min || hi > e.spec->max)
    fail(where, key, "expected range [lo, hi] with lo <= hi inside the allowed " + expected(*e.spec));
  if (e.number < lo || e.number > hi) fail(where, key, "value " + e.text + " lies outside its own range");
  e.range_lo = lo;
  e.range_hi = hi;
  e.range_origin = where;
  e.range_seq = ++seq_;
}

void ConfigValues::set_bounds(const std::string& key, std::vector<NamedBounds> bounds, const Origin& where) {
  Entry& e = mutable_entry(key);
  if (e.spec->kind != Kind::Bounds) fail(where, key, "expected " + expected(*e.spec) + ", got a map");
  std::string text = "{";
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j)
      if (bounds[j].name == bounds[i].name) fail(bounds[i].origin, key + "." + bounds[i].name, "is given twice");
    text += (i ? ", " : "") + bounds[i].name + ": [" + bounds[i].lo + ", " + bounds[i].hi + "]";
  }
  e.bounds = std::move(bounds);
  e.text = text + "}";
  e.origin = where;
  e.schedule.clear();
  e.value_seq = ++seq_;
}

std::vector<std::string> ConfigValues::advisories() const {
  std::vector<std::string> out;
  for (const auto& [key, e] : entries_) {
    if (!e.spec->ranged || (e.number >= e.range_lo && e.number <= e.range_hi)) continue;
    std::ostringstream o;
    o << e.origin.describe() << ": key '" << key << "': value " << e.text << " lies outside its plausible range ["
      << e.range_lo << ", " << e.range_hi << "] (" << e.range_origin.describe()
      << "); it is allowed, but the model was not calibrated there";
    out.push_back(o.str());
  }
  return out;
}

std::string ConfigValues::to_yaml(const std::function<std::string(const std::string&, const Entry&)>& note) const {
  YAML::Emitter out;
  out << YAML::BeginMap;
  std::vector<std::string> open;  // current path of open maps
  for (const auto& [key, e] : entries_) {
    std::vector<std::string> parts;
    for (std::size_t a = 0, b; a <= key.size(); a = b + 1) {
      b = key.find('.', a);
      if (b == std::string::npos) b = key.size();
      parts.push_back(key.substr(a, b - a));
    }
    std::size_t common = 0;
    while (common < open.size() && common + 1 < parts.size() && open[common] == parts[common]) ++common;
    while (open.size() > common) {
      out << YAML::EndMap;
      open.pop_back();
    }
    for (std::size_t i = common; i + 1 < parts.size(); ++i) {
      out << YAML::Key << parts[i] << YAML::Value << YAML::BeginMap;
      open.push_back(parts[i]);
    }
    out << YAML::Key << parts.back() << YAML::Value;
    if (!e.schedule.empty()) {
      out << YAML::Flow << YAML::BeginMap;
      for (const ScheduleStep& step : e.schedule) out << YAML::Key << step.date_text << YAML::Value << step.value_text;
      out << YAML::EndMap;
    } else if (e.spec->kind == Kind::Bounds) {
      out << YAML::BeginMap;
      for (const NamedBounds& b : e.bounds)
        out << YAML::Key << b.name << YAML::Value << YAML::Flow << YAML::BeginSeq << b.lo << b.hi << YAML::EndSeq;
      out << YAML::EndMap;
    } else if (e.spec->ranged) {
      out << YAML::Flow << YAML::BeginMap << YAML::Key << "value" << YAML::Value << e.text << YAML::Key << "range"
          << YAML::Value << YAML::Flow << YAML::BeginSeq << e.range_lo << e.range_hi << YAML::EndSeq << YAML::EndMap;
    } else {
      out << e.text;
    }
    if (note) out << YAML::Comment(note(key, e));
  }
  while (!open.empty()) {
    out << YAML::EndMap;
    open.pop_back();
  }
  out << YAML::EndMap;
  return out.c_str();
}

namespace {

constexpr const char* kScheduleExpected =
    "expected a schedule {YYYY-MM-DD: value, ...} of single values, one date at least";

struct Schedule {
  std::vector<std::pair<std::string, std::string>> steps;  // (date, value) texts in the file's order
  std::vector<Origin> where;
};

/// Reads a YAML map of date: value; false when it is not a non-empty map of single values.
template <class At>
bool schedule_steps(const YAML::Node& node, At at, Schedule& out) {
  if (!node.IsMap() || node.size() == 0) return false;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node date = it->first;
    const YAML::Node value = it->second;
    if (!date.IsScalar() || !value.IsScalar()) return false;
    out.steps.emplace_back(date.Scalar(), value.Scalar());
    out.where.push_back(at(date));
  }
  return true;
}

struct Loader {
  const ConfigSchema& schema;
  ConfigValues& values;
  std::vector<std::string> chain;  // files being loaded, to catch extends cycles

  Origin at(const std::string& file, const YAML::Node& node) const { return {file, node.Mark().line + 1}; }

  void load(const std::filesystem::path& path) {
    const std::string name = path.string();
    std::error_code ec;
    const auto canonical = std::filesystem::weakly_canonical(path, ec).string();
    for (const auto& c : chain)
      if (c == canonical) throw ConfigError(name + ": 'extends' cycle: " + describe_chain() + " -> " + name);
    if (!std::filesystem::is_regular_file(path)) {
      throw ConfigError(chain.empty() ? "scenario file '" + name + "' does not exist or is not a file"
                                      : "scenario file '" + name + "' (extended by " + chain.back() +
                                            ") does not exist or is not a file");
    }
    YAML::Node root;
    try {
      root = YAML::LoadFile(name);
    } catch (const YAML::ParserException& e) {
      throw ConfigError(name + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                        ": YAML syntax error: " + e.msg);
    } catch (const YAML::BadFile&) {
      throw ConfigError("scenario file '" + name + "' cannot be read");
    }
    if (root.IsNull()) return;
    if (!root.IsMap())
      throw ConfigError(name + ":" + std::to_string(root.Mark().line + 1) +
                        ": expected a map of settings at the top level");
    chain.push_back(canonical);
    if (const YAML::Node parent = root["extends"]) {
      if (!parent.IsScalar())
        throw ConfigError(name + ":" + std::to_string(parent.Mark().line + 1) +
                          ": key 'extends': expected a file name");
      load(path.parent_path() / parent.as<std::string>());
    }
    walk(name, root, "");
    chain.pop_back();
  }

  std::string describe_chain() const {
    std::string s;
    for (const auto& c : chain) s += (s.empty() ? "" : " -> ") + c;
    return s;
  }

  void walk(const std::string& file, const YAML::Node& map, const std::string& prefix) {
    std::set<std::string> seen;  // yaml-cpp keeps a repeated key silently; a planner's typo must not win quietly
    for (auto it = map.begin(); it != map.end(); ++it) {
      // Copies, not references: yaml-cpp's iterator yields temporaries.
      const YAML::Node key_node = it->first;
      const YAML::Node node = it->second;
      if (!key_node.IsScalar())
        throw ConfigError(at(file, key_node).describe() + ": expected a key name" +
                          (prefix.empty() ? "" : " under '" + prefix + "'") + ", got a " +
                          (key_node.IsMap()        ? "map"
                           : key_node.IsSequence() ? "list"
                                                   : "null"));
      const std::string name = key_node.Scalar();
      const std::string key = prefix.empty() ? name : prefix + "." + name;
      const Origin where = at(file, key_node);
      if (!seen.insert(name).second) throw ConfigError(where.describe() + ": key '" + key + "' is given twice");
      if (prefix.empty() && name == "extends") continue;
      if (const KeySpec* spec = schema.find(key)) {
        if (node.IsScalar()) {
          values.set(key, node.Scalar(), where);
        } else if (spec->schedulable && node.IsMap()) {
          set_schedule(file, key, node);
        } else if (spec->kind == Kind::Bounds && node.IsMap()) {
          set_bounds(file, key, node);
        } else if (spec->ranged && node.IsMap()) {
          set_ranged(file, key, node);
        } else {
          throw ConfigError(where.describe() + ": key '" + key + "': expected a single value" +
                            (spec->ranged                 ? " or {value: v, range: [lo, hi]}"
                             : spec->schedulable          ? " or a schedule {YYYY-MM-DD: value, ...}"
                             : spec->kind == Kind::Bounds ? ": a map {key: [lo, hi], ...}"
                                                          : "") +
                            ", got a " +
                            (node.IsMap()        ? "map"
                             : node.IsSequence() ? "list"
                                                 : "null"));
        }
      } else if (schema.has_section(key)) {
        if (!node.IsMap()) throw ConfigError(where.describe() + ": key '" + key + "': expected a map of settings");
        walk(file, node, key);
      } else {
        throw ConfigError(where.describe() + ": unknown key '" + key + "' (`innosim keys` lists the valid keys)");
      }
    }
  }

  void set_bounds(const std::string& file, const std::string& key, const YAML::Node& node) {
    std::vector<NamedBounds> bounds;
    for (auto it = node.begin(); it != node.end(); ++it) {
      const YAML::Node name = it->first;
      const YAML::Node range = it->second;
      const Origin where = at(file, name);
      if (!name.IsScalar()) throw ConfigError(where.describe() + ": key '" + key + "': expected a key name");
      if (!range.IsSequence() || range.size() != 2 || !range[0].IsScalar() || !range[1].IsScalar())
        throw ConfigError(where.describe() + ": key '" + key + "." + name.Scalar() + "': expected bounds [lo, hi]");
      bounds.push_back({name.Scalar(), range[0].Scalar(), range[1].Scalar(), where});
    }
    values.set_bounds(key, std::move(bounds), at(file, node));
  }

  void set_schedule(const std::string& file, const std::string& key, const YAML::Node& node) {
    Schedule steps;
    if (!schedule_steps(
            node, [&](const YAML::Node& n) { return at(file, n); }, steps))
      throw ConfigError(at(file, node).describe() + ": key '" + key + "': " + kScheduleExpected);
    values.set_schedule(key, steps.steps, steps.where);
  }

  void set_ranged(const std::string& file, const std::string& key, const YAML::Node& node) {
    const Origin where = at(file, node);
    const YAML::Node v = node["value"], r = node["range"];
    for (auto it = node.begin(); it != node.end(); ++it) {
      const YAML::Node key_node = it->first;
      const auto k = key_node.as<std::string>();
      if (k != "value" && k != "range")
        throw ConfigError(at(file, key_node).describe() + ": key '" + key + "." + k +
                          "': unknown (expected value and range)");
    }
    if (v) {
      if (!v.IsScalar()) throw ConfigError(at(file, v).describe() + ": key '" + key + ".value': expected a number");
      values.set(key, v.Scalar(), at(file, v));
    }
    if (r) {
      if (!r.IsSequence() || r.size() != 2 || !r[0].IsScalar() || !r[1].IsScalar())
        throw ConfigError(at(file, r).describe() + ": key '" + key + ".range': expected [lo, hi]");
      double lo = 0, hi = 0;
      try {
        lo = std::stod(r[0].Scalar());
        hi = std::stod(r[1].Scalar());
      } catch (...) {
        throw ConfigError(at(file, r).describe() + ": key '" + key + ".range': expected two numbers [lo, hi]");
      }
      values.set_range(key, lo, hi, at(file, r));
    } else {
      const Entry& e = values.entry(key);
      if (e.number < e.range_lo || e.number > e.range_hi)
        throw ConfigError(where.describe() + ": key '" + key + "': value " + e.text + " lies outside its range [" +
                          std::to_string(e.range_lo) + ", " + std::to_string(e.range_hi) + "]; give a range too");
    }
  }
};

}  // namespace

ConfigValues load_config(const ConfigSchema& schema, const std::string& path,
                         const std::vector<std::string>& overrides) {
  ConfigValues values(schema);
  Loader loader{schema, values, {}};
  loader.load(path);
  for (const std::string& o : overrides) {
    const auto eq = o.find('=');
    if (eq == std::string::npos || eq == 0)
      throw ConfigError("command-line override --set '" + o + "': expected KEY=VALUE");
    const std::string key = o.substr(0, eq), value = o.substr(eq + 1);
    const KeySpec* spec = schema.find(key);
    if (!spec) throw ConfigError("command-line override --set '" + o + "': unknown key '" + key + "'");
    if (spec->schedulable && !value.empty() && value.front() == '{') {
      // A schedule on the command line: --set 'policy.angel_investment.scale={2016-04-01: 1, 2017-01-01: 2}'.
      Schedule steps;
      bool ok = false;
      try {
        ok = schedule_steps(
            YAML::Load(value),
            [](const YAML::Node&) {
              return Origin{"--set", 0};
            },
            steps);
      } catch (const YAML::Exception&) {
      }
      if (!ok) throw ConfigError("command-line override --set '" + o + "': key '" + key + "': " + kScheduleExpected);
      values.set_schedule(key, steps.steps, steps.where);
      continue;
    }
    values.set(key, value, Origin{"--set", 0});
  }
  return values;
}

}  // namespace innosim::config
