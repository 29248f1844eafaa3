#include "results/ResultsFile.hpp"

#include <fcntl.h>
#include <hdf5_hl.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <type_traits>
#include <vector>

#include "models/gansu/GansuModel.hpp"
#include "results/Hdf5Handle.hpp"

namespace innosim::results {

namespace {

constexpr const char* kTargetReading =
    "T1-T4: maker spaces operating at the end of the run, counted (a) provincially recognised or nationally filed "
    "and (b) all operating; T2 leading enterprises, T3 universities/institutes, T4 development zones; T5 distinct "
    "professionals serving in spaces at the end; T6 distinct people who entered spaces or founded teams in them "
    "since the start (cumulative). Thresholds apply at targets.scale only.";

void set_text_attr(hid_t obj, const std::string& name, const std::string& value) {
  Hdf5Handle type(H5Tcopy(H5T_C_S1), "copy a string type");
  check(H5Tset_size(type, value.empty() ? 1 : value.size()), "size a string");
  check(H5Tset_cset(type, H5T_CSET_UTF8), "set UTF-8");
  Hdf5Handle space(H5Screate(H5S_SCALAR), "create a scalar space");
  if (H5Aexists(obj, name.c_str()) > 0) check(H5Adelete(obj, name.c_str()), "replace attribute " + name);
  Hdf5Handle attr(H5Acreate2(obj, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), "create attribute " + name);
  check(H5Awrite(attr, type, value.empty() ? " " : value.c_str()), "write attribute " + name);
}

void set_integer_attr(hid_t obj, const std::string& name, std::int64_t value) {
  Hdf5Handle space(H5Screate(H5S_SCALAR), "create a scalar space");
  Hdf5Handle attr(H5Acreate2(obj, name.c_str(), H5T_NATIVE_INT64, space, H5P_DEFAULT, H5P_DEFAULT),
                  "create attribute " + name);
  check(H5Awrite(attr, H5T_NATIVE_INT64, &value), "write attribute " + name);
}

void set_number_attr(hid_t obj, const std::string& name, double value) {
  Hdf5Handle space(H5Screate(H5S_SCALAR), "create a scalar space");
  Hdf5Handle attr(H5Acreate2(obj, name.c_str(), H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, H5P_DEFAULT),
                  "create attribute " + name);
  check(H5Awrite(attr, H5T_NATIVE_DOUBLE, &value), "write attribute " + name);
}

std::string now_iso() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

}  // namespace

struct ResultsFile::Impl {
  std::string path, partial;
  gansu::Parameters params;
  std::string scenario_yaml, command_line;
  std::vector<std::pair<std::string, std::string>> notes;
  config::ExperimentDesign design;
  std::uint32_t replications = 0, per_point = 1;
  std::vector<std::optional<gansu::Outcome>> outcomes;
  std::uint32_t finished_count = 0, written_count = 0;
  std::chrono::steady_clock::time_point last_end{};
  double last_seconds = 0;
  long fault_after = -1;  // INNOSIM_FAULT_KILL_AFTER
  long hdf5_calls = 0;
  Hdf5Handle file;
  std::map<std::string, Hdf5Handle> datasets;
  std::map<std::string, std::size_t> dim_size;
  bool laid_out = false;
  bool finished = false;

  Hdf5Handle& ds(const std::string& name) { return datasets.at(name); }

  /// Fault injection: counts HDF5 write steps and kills the process at the chosen one.
  void step() {
    if (fault_after >= 0 && hdf5_calls++ == fault_after) std::raise(SIGKILL);
  }

  void coordinate(const std::string& name, const std::vector<double>& values, const std::string& units,
                  const std::string& long_name) {
    step();
    const hsize_t n = values.size();
    Hdf5Handle space(H5Screate_simple(1, &n, nullptr), "create space " + name);
    Hdf5Handle plist(H5Pcreate(H5P_DATASET_CREATE), "create a property list");
    if (n > 0) {
      check(H5Pset_chunk(plist, 1, &n), "chunk " + name);
      check(H5Pset_fletcher32(plist), "checksum " + name);
    }
    Hdf5Handle d(H5Dcreate2(file, name.c_str(), H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, plist, H5P_DEFAULT),
                 "create " + name);
    check(H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "write " + name);
    check(H5DSset_scale(d, name.c_str()), "make " + name + " a dimension scale");
    if (!units.empty()) set_text_attr(d, "units", units);
    set_text_attr(d, "long_name", long_name);
    dim_size[name] = values.size();
    datasets[name] = std::move(d);
  }

  void coordinate(const std::string& name, const std::vector<std::string>& values, const std::string& long_name) {
    step();
    const hsize_t n = values.size();
    Hdf5Handle type(H5Tcopy(H5T_C_S1), "copy a string type");
    check(H5Tset_size(type, H5T_VARIABLE), "make a variable-length string type");
    check(H5Tset_cset(type, H5T_CSET_UTF8), "set UTF-8");
    Hdf5Handle space(H5Screate_simple(1, &n, nullptr), "create space " + name);
    Hdf5Handle d(H5Dcreate2(file, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "create " + name);
    std::vector<const char*> ptrs;
    for (const auto& v : values) ptrs.push_back(v.c_str());
    check(H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), "write " + name);
    check(H5DSset_scale(d, name.c_str()), "make " + name + " a dimension scale");
    set_text_attr(d, "long_name", long_name);
    // Variable-length strings live in HDF5's global heap, which has no checksum: the values are repeated in an
    // attribute (stored in the checksummed object header) for readers to compare.
    std::string joined;
    for (const auto& v : values) joined += (joined.empty() ? "" : "\n") + v;
    set_text_attr(d, "checked_values", joined);
    dim_size[name] = values.size();
    datasets[name] = std::move(d);
  }

  /// A variable with the replication dimension first, chunked one replication at a time along time.
  void variable(const std::string& name, const std::vector<std::string>& dims, hid_t type, const std::string& units,
                const std::string& long_name) {
    step();
    std::vector<hsize_t> shape, chunk;
    for (const auto& d : dims) shape.push_back(dim_size.at(d));
    chunk = shape;
    if (dims.front() == "replication") chunk[0] = 1;
    Hdf5Handle space(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr), "create space " + name);
    Hdf5Handle plist(H5Pcreate(H5P_DATASET_CREATE), "create a property list");
    check(H5Pset_chunk(plist, static_cast<int>(chunk.size()), chunk.data()), "chunk " + name);
    check(H5Pset_shuffle(plist), "shuffle " + name);
    check(H5Pset_deflate(plist, 4), "deflate " + name);
    check(H5Pset_fletcher32(plist), "checksum " + name);  // a flipped bit is refused on read, not reported on
    if (H5Tequal(type, H5T_NATIVE_DOUBLE) > 0) {
      const double fill = std::numeric_limits<double>::quiet_NaN();
      check(H5Pset_fill_value(plist, H5T_NATIVE_DOUBLE, &fill), "set fill of " + name);
    }
    Hdf5Handle d(H5Dcreate2(file, name.c_str(), type, space, H5P_DEFAULT, plist, H5P_DEFAULT), "create " + name);
    for (std::size_t i = 0; i < dims.size(); ++i)
      check(H5DSattach_scale(d, ds(dims[i]), static_cast<unsigned>(i)), "attach " + dims[i] + " to " + name);
    if (!units.empty()) set_text_attr(d, "units", units);
    set_text_attr(d, "long_name", long_name);
    datasets[name] = std::move(d);
  }
  void rewrite(const std::string& target, const std::string& status);
  void put(const gansu::Outcome& o);
  void put_snapshots(const gansu::Outcome& o);

  /// Writes replication r's slab (all other dimensions whole).
  void write_row(const std::string& name, std::uint32_t r, hid_t memtype, const void* data) {
    step();
    Hdf5Handle& d = ds(name);
    Hdf5Handle fspace(H5Dget_space(d), "get space of " + name);
    const int rank = H5Sget_simple_extent_ndims(fspace);
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank)), start(static_cast<std::size_t>(rank), 0);
    H5Sget_simple_extent_dims(fspace, dims.data(), nullptr);
    start[0] = r;
    dims[0] = 1;
    check(H5Sselect_hyperslab(fspace, H5S_SELECT_SET, start.data(), nullptr, dims.data(), nullptr),
          "select in " + name);
    Hdf5Handle mspace(H5Screate_simple(rank, dims.data(), nullptr), "create memory space");
    check(H5Dwrite(d, memtype, mspace, fspace, H5P_DEFAULT, data), "write " + name);
  }

  void layout(const gansu::Outcome& o) {
    const auto& p = params;
    std::vector<double> reps(replications);
    for (std::uint32_t i = 0; i < replications; ++i) reps[i] = i;
    coordinate("replication", reps, "1", "replication index (results depend only on seed, index and parameters)");
    coordinate("time", o.time, "days since 2016-01-01",
               "time of the monthly snapshot (state at the start of that day)");
    set_text_attr(ds("time"), "calendar", "proleptic_gregorian");
    coordinate("city", std::vector<std::string>(gansu::kCityNames.begin(), gansu::kCityNames.end()),
               "city/prefecture of Gansu");
    coordinate("host_type", std::vector<std::string>(gansu::kHostTypeNames.begin(), gansu::kHostTypeNames.end()),
               "who runs the space");
    coordinate("industry", std::vector<std::string>(gansu::kIndustryNames.begin(), gansu::kIndustryNames.end()),
               "industry of POLICY 2 (the first 4 are traditional)");
    coordinate("instrument",
               std::vector<std::string>(gansu::instrument_names().begin(), gansu::instrument_names().end()),
               "money instrument (the first 11 are public)");
    coordinate("target", std::vector<std::string>{"T1a", "T1b", "T2a", "T2b", "T3a", "T3b", "T4a", "T4b", "T5", "T6"},
               "target of the plan; a = recognised or filed, b = all operating");
    coordinate("event_type", o.event_names, "event type of the model");
    coordinate("edge_type", gansu::edge_type_names(), "relation (edge type) of the agent graph");
    coordinate("agent_type", o.agent_type_names, "agent type of the model");
    for (const auto& info : gansu::indicator_infos())
      variable(std::string(info.name), {"replication", "time"}, H5T_NATIVE_DOUBLE, std::string(info.units),
               std::string(info.long_name));
    variable("spaces_by_city", {"replication", "time", "city"}, H5T_NATIVE_DOUBLE, "spaces",
             "operating spaces by city");
    variable("recognised_by_city", {"replication", "time", "city"}, H5T_NATIVE_DOUBLE, "spaces",
             "recognised or filed operating spaces by city");
    variable("teams_by_city", {"replication", "time", "city"}, H5T_NATIVE_DOUBLE, "teams", "resident teams by city");
    variable("spaces_by_host", {"replication", "time", "host_type"}, H5T_NATIVE_DOUBLE, "spaces",
             "operating spaces by host type");
    variable("recognised_by_host", {"replication", "time", "host_type"}, H5T_NATIVE_DOUBLE, "spaces",
             "recognised or filed operating spaces by host type");
    variable("opened_by_host", {"replication", "time", "host_type"}, H5T_NATIVE_DOUBLE, "spaces",
             "spaces opened since the start by host type (cumulative)");
    variable("spaces_by_industry", {"replication", "time", "industry"}, H5T_NATIVE_DOUBLE, "spaces",
             "operating spaces by industry focus");
    variable("teams_by_industry", {"replication", "time", "industry"}, H5T_NATIVE_DOUBLE, "teams",
             "resident teams by industry");
    variable("money", {"replication", "instrument"}, H5T_NATIVE_DOUBLE, "million CNY",
             "money by instrument over the run");
    variable("target_value", {"replication", "target"}, H5T_NATIVE_DOUBLE, "1",
             "target indicator at the end of the run");
    variable("target_met", {"replication", "target"}, H5T_NATIVE_INT8, "1",
             "1 met, 0 not met, -1 no verdict at this scale");
    variable("target_first_met", {"replication", "target"}, H5T_NATIVE_DOUBLE, "d",
             "day (counted from 2016-01-01) at whose end a monthly snapshot first met the target; NaN: never");
    variable("events", {"replication", "event_type"}, H5T_NATIVE_DOUBLE, "events", "events handled by type");
    variable("edges_created", {"replication", "edge_type"}, H5T_NATIVE_DOUBLE, "edges",
             "edges created by type (live and ended)");
    variable("agents", {"replication", "agent_type"}, H5T_NATIVE_DOUBLE, "agents", "agents by type");
    variable("runtime", {"replication"}, H5T_NATIVE_DOUBLE, "s", "wall time of the replication");
    variable("completed", {"replication"}, H5T_NATIVE_INT8, "1", "1 once the replication's results are written");
    if (design.method != "none") {
      std::vector<std::string> keys;
      std::vector<double> lo, hi;
      for (const auto& f : design.factors) keys.push_back(f.key), lo.push_back(f.lo), hi.push_back(f.hi);
      coordinate("parameter", keys, "scenario key varied by the uncertainty design");
      variable("parameter_lo", {"parameter"}, H5T_NATIVE_DOUBLE, "1", "lower end of the parameter's range");
      variable("parameter_hi", {"parameter"}, H5T_NATIVE_DOUBLE, "1", "upper end of the parameter's range");
      check(H5Dwrite(ds("parameter_lo"), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, lo.data()),
            "write parameter_lo");
      check(H5Dwrite(ds("parameter_hi"), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, hi.data()),
            "write parameter_hi");
      variable("design_value", {"replication", "parameter"}, H5T_NATIVE_DOUBLE, "1",
               "the parameter values this replication ran with (its design point)");
      variable("design_point", {"replication"}, H5T_NATIVE_DOUBLE, "1",
               "index of the design point (rows in the design's order, docs/OUTPUT.md)");
    }
    std::vector<double> thr;
    for (std::size_t j = 0; j < gansu::kTargetIndicators.size(); ++j)
      thr.push_back(p.targets.threshold[static_cast<std::size_t>(gansu::kTargetThreshold[j])]);
    {
      const hsize_t n = thr.size();
      Hdf5Handle space(H5Screate_simple(1, &n, nullptr), "create space");
      Hdf5Handle plist(H5Pcreate(H5P_DATASET_CREATE), "create a property list");
      check(H5Pset_chunk(plist, 1, &n), "chunk target_threshold");
      check(H5Pset_fletcher32(plist), "checksum target_threshold");
      Hdf5Handle d(H5Dcreate2(file, "target_threshold", H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, plist, H5P_DEFAULT),
                   "create target_threshold");
      check(H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, thr.data()), "write target_threshold");
      check(H5DSattach_scale(d, ds("target"), 0), "attach target");
      set_text_attr(d, "long_name", "threshold of each target (T5, T6: must be exceeded)");
      set_text_attr(d, "units", "1");
    }
    laid_out = true;
  }
};

ResultsFile::ResultsFile(const std::string& path, const gansu::Parameters& params, const std::string& scenario_yaml,
                         const std::string& command_line, const config::ExperimentDesign& design,
                         std::uint32_t replications_per_point, std::vector<std::pair<std::string, std::string>> notes)
    : impl_(std::make_unique<Impl>()) {
  Impl& s = *impl_;
  s.notes = std::move(notes);
  s.path = path;
  s.partial = path + ".partial";
  s.params = params;
  s.scenario_yaml = scenario_yaml;
  s.command_line = command_line;
  s.design = design;
  s.per_point = replications_per_point;
  s.replications = design.method == "none" ? params.replications
                                           : static_cast<std::uint32_t>(design.points.size()) * replications_per_point;
  s.outcomes.resize(s.replications);
  if (const char* f = std::getenv("INNOSIM_FAULT_KILL_AFTER")) s.fault_after = std::atol(f);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors become exceptions with our own messages
  s.rewrite(s.partial, "partial");              // a valid, empty-but-described file from the start
}

ResultsFile::~ResultsFile() = default;

bool ResultsFile::write(const gansu::Outcome& o) {
  Impl& s = *impl_;
  s.outcomes.at(o.replication) = o;
  ++s.finished_count;
  // Space rewrites so they cost at most about a tenth of the run: each rewrites the whole file.
  const double since = std::chrono::duration<double>(std::chrono::steady_clock::now() - s.last_end).count();
  if (since < 10 * s.last_seconds) return false;
  s.rewrite(s.partial, "partial");
  return true;
}

void ResultsFile::finish() {
  Impl& s = *impl_;
  s.rewrite(s.path, "complete");
  std::filesystem::remove(s.partial);
}

void ResultsFile::interrupt() { impl_->rewrite(impl_->partial, "interrupted"); }

std::uint32_t ResultsFile::written() const { return impl_->written_count; }

void ResultsFile::Impl::rewrite(const std::string& target, const std::string& status) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::string tmp = target + ".tmp";
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // per thread: errors become exceptions with our own messages
  datasets.clear();
  dim_size.clear();
  laid_out = false;
  // File format 1.10: its superblock, object headers and chunk indexes carry checksums, as the data chunks do
  // (fletcher32), so a damaged file is refused on read instead of read wrongly. (With 1.8's unchecked v1 B-tree
  // chunk index, a flipped bit could hide a chunk, which then read silently as its fill value.)
  Hdf5Handle fapl(H5Pcreate(H5P_FILE_ACCESS), "create a file access list");
  check(H5Pset_libver_bounds(fapl, H5F_LIBVER_V110, H5F_LIBVER_LATEST), "choose the file format");
  file = Hdf5Handle(H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl), "create result file '" + tmp + "'");
  step();
  const hid_t f = file;
  set_text_attr(f, "Conventions", "CF-1.8");
  set_text_attr(f, "title", "innosim results: Gansu maker-space plan (2016-33) scenario run");
  set_text_attr(f, "innosim_version", INNOSIM_VERSION);
  set_text_attr(f, "git_commit", INNOSIM_GIT_COMMIT);
  set_text_attr(f, "scenario", scenario_yaml);
  set_text_attr(f, "command_line", command_line);
  set_text_attr(f, "created", now_iso());
  set_text_attr(f, "target_reading", kTargetReading);
  set_text_attr(f, "status", status);
  set_text_attr(f, "design_method", design.method);
  for (const auto& [name, text] : notes) set_text_attr(f, name, text);
  // Counts and the seed are integers (a seed up to 9e15 is exact in int64, and pandas keeps it an int).
  set_integer_attr(f, "seed", static_cast<std::int64_t>(params.seed));
  set_number_attr(f, "scale", params.scale);
  set_integer_attr(f, "replications", replications);
  set_integer_attr(f, "design_points", static_cast<std::int64_t>(design.points.size()));
  set_integer_attr(f, "design_base_samples", static_cast<std::int64_t>(design.base_samples));
  set_integer_attr(f, "replications_per_point", per_point);
  std::uint32_t count = 0;
  for (const auto& o : outcomes) {
    if (!o) continue;
    if (!laid_out) layout(*o);
    put(*o);
    ++count;
  }
  datasets.clear();
  file.reset();
  // Durable before visible: sync the new file, then atomically replace the old one.
  if (const int fd = ::open(tmp.c_str(), O_RDONLY); fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  std::filesystem::rename(tmp, target);
  written_count = count;
  last_end = std::chrono::steady_clock::now();
  last_seconds = std::chrono::duration<double>(last_end - t0).count();
}

void ResultsFile::Impl::put(const gansu::Outcome& o) {
  const std::uint32_t r = o.replication;
  const std::size_t nt = o.time.size();
  std::vector<double> buf(nt);
  for (std::size_t i = 0; i < gansu::kIndicatorCount; ++i) {
    for (std::size_t t = 0; t < nt; ++t) buf[t] = o.series[t][i];
    write_row(std::string(gansu::indicator_infos()[i].name), r, H5T_NATIVE_DOUBLE, buf.data());
  }
  auto flat = [&](const auto& series, const char* name) {
    std::vector<double> v;
    for (const auto& row : series) v.insert(v.end(), row.begin(), row.end());
    write_row(name, r, H5T_NATIVE_DOUBLE, v.data());
  };
  flat(o.spaces_by_city, "spaces_by_city");
  flat(o.recognised_by_city, "recognised_by_city");
  flat(o.teams_by_city, "teams_by_city");
  flat(o.spaces_by_host, "spaces_by_host");
  flat(o.recognised_by_host, "recognised_by_host");
  flat(o.opened_by_host, "opened_by_host");
  flat(o.spaces_by_industry, "spaces_by_industry");
  flat(o.teams_by_industry, "teams_by_industry");
  write_row("money", r, H5T_NATIVE_DOUBLE, o.money.data());
  std::vector<double> value;
  std::vector<std::int8_t> met;
  const bool verdict = std::abs(params.scale - params.targets.scale) < 1e-12;
  for (std::size_t j = 0; j < gansu::kTargetIndicators.size(); ++j) {
    const double v = o.final_value(gansu::kTargetIndicators[j]);
    const double thr = params.targets.threshold[static_cast<std::size_t>(gansu::kTargetThreshold[j])];
    value.push_back(v);
    met.push_back(verdict ? static_cast<std::int8_t>(gansu::kTargetStrict[j] ? v > thr : v >= thr) : std::int8_t{-1});
  }
  write_row("target_value", r, H5T_NATIVE_DOUBLE, value.data());
  write_row("target_met", r, H5T_NATIVE_INT8, met.data());
  write_row("target_first_met", r, H5T_NATIVE_DOUBLE, o.first_met.data());
  auto counts = [&](const auto& v, const char* name) {
    std::vector<double> d(v.begin(), v.end());
    write_row(name, r, H5T_NATIVE_DOUBLE, d.data());
  };
  counts(o.events_by_type, "events");
  counts(o.edges_by_type, "edges_created");
  counts(o.agents_by_type, "agents");
  write_row("runtime", r, H5T_NATIVE_DOUBLE, &o.seconds);
  if (design.method != "none") {
    const std::size_t point = r / per_point;
    write_row("design_value", r, H5T_NATIVE_DOUBLE, design.points.at(point).data());
    const double point_index = static_cast<double>(point);
    write_row("design_point", r, H5T_NATIVE_DOUBLE, &point_index);
  }
  if (!o.snapshots.empty() || !o.edges.empty()) put_snapshots(o);
  const std::int8_t one = 1;
  write_row("completed", r, H5T_NATIVE_INT8, &one);  // last, so a flagged replication is whole
}

namespace {
Hdf5Handle group_path(hid_t file, const std::string& path) {
  Hdf5Handle lcpl(H5Pcreate(H5P_LINK_CREATE), "create a link property list");
  check(H5Pset_create_intermediate_group(lcpl, 1), "allow intermediate groups");
  return Hdf5Handle(H5Gcreate2(file, path.c_str(), lcpl, H5P_DEFAULT, H5P_DEFAULT), "create group " + path);
}

/// A compressed dataset of `rows` x `cols` (cols 0: one-dimensional) in a group, with units and long_name.
void plain(hid_t group, const std::string& name, hid_t type, hsize_t rows, hsize_t cols, const void* data,
           const std::string& units, const std::string& long_name) {
  const int rank = cols ? 2 : 1;
  const hsize_t dims[2] = {rows, cols};
  Hdf5Handle space(H5Screate_simple(rank, dims, nullptr), "create space " + name);
  Hdf5Handle plist(H5Pcreate(H5P_DATASET_CREATE), "create a property list");
  if (rows > 0 && (cols > 0 || rank == 1)) {
    hsize_t chunk[2] = {1, cols};
    if (rank == 1) chunk[0] = std::min<hsize_t>(rows, 65536);
    check(H5Pset_chunk(plist, rank, chunk), "chunk " + name);
    check(H5Pset_shuffle(plist), "shuffle " + name);
    check(H5Pset_deflate(plist, 4), "deflate " + name);
    check(H5Pset_fletcher32(plist), "checksum " + name);
  }
  Hdf5Handle d(H5Dcreate2(group, name.c_str(), type, space, H5P_DEFAULT, plist, H5P_DEFAULT), "create " + name);
  if (rows > 0) check(H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "write " + name);
  set_text_attr(d, "units", units);
  set_text_attr(d, "long_name", long_name);
}
}  // namespace

void ResultsFile::Impl::put_snapshots(const gansu::Outcome& o) {
  step();
  char name[32];
  std::snprintf(name, sizeof name, "replication_%06u", o.replication);
  if (!o.snapshots.empty()) {
    Hdf5Handle g = group_path(file, std::string("snapshots/") + name);
    const hsize_t years = o.snapshots.size();
    std::vector<double> times;
    for (const auto& sn : o.snapshots) times.push_back(sn.time);
    plain(g, "time", H5T_NATIVE_DOUBLE, years, 0, times.data(), "days since 2016-01-01",
          "snapshot time (1 January: the state at the end of the year before; the last is the run's end)");
    auto table = [&](const char* var, hid_t type, auto member, const char* units, const char* doc) {
      using T = typename std::decay_t<decltype(o.snapshots[0].*member)>::value_type;
      const hsize_t cols = (o.snapshots[0].*member).size();
      std::vector<T> flat;
      for (const auto& sn : o.snapshots) flat.insert(flat.end(), (sn.*member).begin(), (sn.*member).end());
      plain(g, var, type, years, cols, flat.data(), units, doc);
    };
    table("space_status", H5T_NATIVE_UINT8, &gansu::Snapshot::space_status, "1",
          "0 inactive, 1 running, 2 closed (by space slot)");
    table("space_recognised", H5T_NATIVE_UINT8, &gansu::Snapshot::space_recognised, "1", "provincially recognised");
    table("space_filed", H5T_NATIVE_UINT8, &gansu::Snapshot::space_filed, "1", "nationally filed");
    table("space_grade", H5T_NATIVE_UINT8, &gansu::Snapshot::space_grade, "1",
          "0 none, 1 excellent, 2 good, 3 pass, 4 fail");
    table("space_residents", H5T_NATIVE_UINT16, &gansu::Snapshot::space_residents, "teams", "resident teams");
    table("space_mentors", H5T_NATIVE_UINT16, &gansu::Snapshot::space_mentors, "persons", "serving professionals");
    table("space_cash", H5T_NATIVE_FLOAT, &gansu::Snapshot::space_cash, "million CNY", "cash of the space");
    table("team_stage", H5T_NATIVE_UINT8, &gansu::Snapshot::team_stage, "1",
          "0 inactive, 1 team, 2 registered, 3 funded, 4 graduated, 5 failed (by team slot = founder maker)");
    table("team_jobs", H5T_NATIVE_UINT32, &gansu::Snapshot::team_jobs, "jobs", "jobs of the team");
    table("maker_state", H5T_NATIVE_UINT8, &gansu::Snapshot::maker_state, "1",
          "0 idle, 1 applying, 2 founder, 3 member, 4 done");
  }
  if (!o.edges.empty()) {
    Hdf5Handle g = group_path(file, std::string("graph/") + name);
    const hsize_t m = o.edges.size();
    std::vector<std::uint32_t> source, target;
    std::vector<std::uint16_t> type;
    std::vector<double> start, end;
    for (const auto& e : o.edges) {
      source.push_back(e.source), target.push_back(e.target), type.push_back(e.type), start.push_back(e.start);
      end.push_back(std::isinf(e.end) ? std::numeric_limits<double>::quiet_NaN() : e.end);
    }
    plain(g, "source", H5T_NATIVE_UINT32, m, 0, source.data(), "1", "source agent id");
    plain(g, "target", H5T_NATIVE_UINT32, m, 0, target.data(), "1", "target agent id");
    plain(g, "type", H5T_NATIVE_UINT16, m, 0, type.data(), "1", "edge type (index into the edge_type coordinate)");
    plain(g, "start", H5T_NATIVE_DOUBLE, m, 0, start.data(), "days since 2016-01-01", "when the relation began");
    plain(g, "end", H5T_NATIVE_DOUBLE, m, 0, end.data(), "days since 2016-01-01", "when it ended (NaN: still live)");
  }
}

}  // namespace innosim::results
