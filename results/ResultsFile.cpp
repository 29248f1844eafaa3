#include "results/ResultsFile.hpp"

#include <hdf5_hl.h>

#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <limits>
#include <map>
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

void set_number_attr(hid_t obj, const std::string& name, double value) {
  Hdf5Handle space(H5Screate(H5S_SCALAR), "create a scalar space");
  Hdf5Handle attr(H5Acreate2(obj, name.c_str(), H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, H5P_DEFAULT), "create attribute " + name);
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
  Hdf5Handle file;
  std::map<std::string, Hdf5Handle> datasets;
  std::map<std::string, std::size_t> dim_size;
  bool laid_out = false;
  bool finished = false;

  Hdf5Handle& ds(const std::string& name) { return datasets.at(name); }

  void coordinate(const std::string& name, const std::vector<double>& values, const std::string& units,
                  const std::string& long_name) {
    const hsize_t n = values.size();
    Hdf5Handle space(H5Screate_simple(1, &n, nullptr), "create space " + name);
    Hdf5Handle d(H5Dcreate2(file, name.c_str(), H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "create " + name);
    check(H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "write " + name);
    check(H5DSset_scale(d, name.c_str()), "make " + name + " a dimension scale");
    if (!units.empty()) set_text_attr(d, "units", units);
    set_text_attr(d, "long_name", long_name);
    dim_size[name] = values.size();
    datasets[name] = std::move(d);
  }

  void coordinate(const std::string& name, const std::vector<std::string>& values, const std::string& long_name) {
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
    dim_size[name] = values.size();
    datasets[name] = std::move(d);
  }

  /// A variable with the replication dimension first, chunked one replication at a time along time.
  void variable(const std::string& name, const std::vector<std::string>& dims, hid_t type, const std::string& units,
                const std::string& long_name) {
    std::vector<hsize_t> shape, chunk;
    for (const auto& d : dims) shape.push_back(dim_size.at(d));
    chunk = shape;
    if (dims.front() == "replication") chunk[0] = 1;
    Hdf5Handle space(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr), "create space " + name);
    Hdf5Handle plist(H5Pcreate(H5P_DATASET_CREATE), "create a property list");
    check(H5Pset_chunk(plist, static_cast<int>(chunk.size()), chunk.data()), "chunk " + name);
    check(H5Pset_shuffle(plist), "shuffle " + name);
    check(H5Pset_deflate(plist, 4), "deflate " + name);
    if (H5Tequal(type, H5T_NATIVE_DOUBLE) > 0) {
      const double fill = std::numeric_limits<double>::quiet_NaN();
      check(H5Pset_fill_value(plist, H5T_NATIVE_DOUBLE, &fill), "set fill of " + name);
      set_later.push_back(name);
    }
    Hdf5Handle d(H5Dcreate2(file, name.c_str(), type, space, H5P_DEFAULT, plist, H5P_DEFAULT), "create " + name);
    for (std::size_t i = 0; i < dims.size(); ++i)
      check(H5DSattach_scale(d, ds(dims[i]), static_cast<unsigned>(i)), "attach " + dims[i] + " to " + name);
    if (!units.empty()) set_text_attr(d, "units", units);
    set_text_attr(d, "long_name", long_name);
    datasets[name] = std::move(d);
  }
  std::vector<std::string> set_later;

  /// Writes replication r's slab (all other dimensions whole).
  void write_row(const std::string& name, std::uint32_t r, hid_t memtype, const void* data) {
    Hdf5Handle& d = ds(name);
    Hdf5Handle fspace(H5Dget_space(d), "get space of " + name);
    const int rank = H5Sget_simple_extent_ndims(fspace);
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank)), start(static_cast<std::size_t>(rank), 0);
    H5Sget_simple_extent_dims(fspace, dims.data(), nullptr);
    start[0] = r;
    dims[0] = 1;
    check(H5Sselect_hyperslab(fspace, H5S_SELECT_SET, start.data(), nullptr, dims.data(), nullptr), "select in " + name);
    Hdf5Handle mspace(H5Screate_simple(rank, dims.data(), nullptr), "create memory space");
    check(H5Dwrite(d, memtype, mspace, fspace, H5P_DEFAULT, data), "write " + name);
  }

  void layout(const gansu::Outcome& o) {
    const auto& p = params;
    std::vector<double> reps(p.replications);
    for (std::uint32_t i = 0; i < p.replications; ++i) reps[i] = i;
    coordinate("replication", reps, "", "replication index (results depend only on seed, index and parameters)");
    coordinate("time", o.time, "days since 2016-01-01", "time of the monthly snapshot (state at the start of that day)");
    set_text_attr(ds("time"), "calendar", "proleptic_gregorian");
    coordinate("city", std::vector<std::string>(gansu::kCityNames.begin(), gansu::kCityNames.end()), "city/prefecture of Gansu");
    coordinate("host_type", std::vector<std::string>(gansu::kHostTypeNames.begin(), gansu::kHostTypeNames.end()), "who runs the space");
    coordinate("industry", std::vector<std::string>(gansu::kIndustryNames.begin(), gansu::kIndustryNames.end()),
               "industry of POLICY 2 (the first 4 are traditional)");
    coordinate("instrument", std::vector<std::string>(gansu::instrument_names().begin(), gansu::instrument_names().end()),
               "money instrument (the first 11 are public)");
    coordinate("target", std::vector<std::string>{"T1a", "T1b", "T2a", "T2b", "T3a", "T3b", "T4a", "T4b", "T5", "T6"},
               "target of the plan; a = recognised or filed, b = all operating");
    coordinate("event_type", o.event_names, "event type of the model");
    coordinate("edge_type", gansu::edge_type_names(), "relation (edge type) of the agent graph");
    coordinate("agent_type", o.agent_type_names, "agent type of the model");
    for (const auto& info : gansu::indicator_infos())
      variable(std::string(info.name), {"replication", "time"}, H5T_NATIVE_DOUBLE, std::string(info.units), std::string(info.long_name));
    variable("spaces_by_city", {"replication", "time", "city"}, H5T_NATIVE_DOUBLE, "spaces", "operating spaces by city");
    variable("recognised_by_city", {"replication", "time", "city"}, H5T_NATIVE_DOUBLE, "spaces", "recognised or filed operating spaces by city");
    variable("teams_by_city", {"replication", "time", "city"}, H5T_NATIVE_DOUBLE, "teams", "resident teams by city");
    variable("spaces_by_host", {"replication", "time", "host_type"}, H5T_NATIVE_DOUBLE, "spaces", "operating spaces by host type");
    variable("recognised_by_host", {"replication", "time", "host_type"}, H5T_NATIVE_DOUBLE, "spaces", "recognised or filed operating spaces by host type");
    variable("spaces_by_industry", {"replication", "time", "industry"}, H5T_NATIVE_DOUBLE, "spaces", "operating spaces by industry focus");
    variable("teams_by_industry", {"replication", "time", "industry"}, H5T_NATIVE_DOUBLE, "teams", "resident teams by industry");
    variable("money", {"replication", "instrument"}, H5T_NATIVE_DOUBLE, "million CNY", "money by instrument over the run");
    variable("target_value", {"replication", "target"}, H5T_NATIVE_DOUBLE, "1", "target indicator at the end of the run");
    variable("target_met", {"replication", "target"}, H5T_NATIVE_INT8, "1", "1 met, 0 not met, -1 no verdict at this scale");
    variable("target_first_met", {"replication", "target"}, H5T_NATIVE_DOUBLE, "days since 2016-01-01",
             "first monthly snapshot at which the target was met (NaN: never)");
    variable("events", {"replication", "event_type"}, H5T_NATIVE_DOUBLE, "events", "events handled by type");
    variable("edges_created", {"replication", "edge_type"}, H5T_NATIVE_DOUBLE, "edges", "edges created by type (live and ended)");
    variable("agents", {"replication", "agent_type"}, H5T_NATIVE_DOUBLE, "agents", "agents by type");
    variable("runtime", {"replication"}, H5T_NATIVE_DOUBLE, "s", "wall time of the replication");
    variable("completed", {"replication"}, H5T_NATIVE_INT8, "1", "1 once the replication's results are written");
    std::vector<double> thr;
    for (std::size_t j = 0; j < gansu::kTargetIndicators.size(); ++j)
      thr.push_back(p.targets.threshold[static_cast<std::size_t>(gansu::kTargetThreshold[j])]);
    {
      const hsize_t n = thr.size();
      Hdf5Handle space(H5Screate_simple(1, &n, nullptr), "create space");
      Hdf5Handle d(H5Dcreate2(file, "target_threshold", H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "create target_threshold");
      check(H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, thr.data()), "write target_threshold");
      check(H5DSattach_scale(d, ds("target"), 0), "attach target");
      set_text_attr(d, "long_name", "threshold of each target (T5, T6: must be exceeded)");
      set_text_attr(d, "units", "1");
    }
    laid_out = true;
  }
};

ResultsFile::ResultsFile(const std::string& path, const gansu::Parameters& params, const std::string& scenario_yaml,
                         const std::string& command_line)
    : impl_(std::make_unique<Impl>()) {
  impl_->path = path;
  impl_->partial = path + ".partial";
  impl_->params = params;
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors become exceptions with our own messages
  impl_->file = Hdf5Handle(H5Fcreate(impl_->partial.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT),
                           "create result file '" + impl_->partial + "'");
  const hid_t f = impl_->file;
  set_text_attr(f, "Conventions", "CF-1.8");
  set_text_attr(f, "title", "innosim results: Gansu maker-space plan (2016-33) scenario run");
  set_text_attr(f, "innosim_version", INNOSIM_VERSION);
  set_text_attr(f, "git_commit", INNOSIM_GIT_COMMIT);
  set_text_attr(f, "scenario", scenario_yaml);
  set_text_attr(f, "command_line", command_line);
  set_text_attr(f, "created", now_iso());
  set_text_attr(f, "target_reading", kTargetReading);
  set_text_attr(f, "status", "partial");
  set_number_attr(f, "seed", static_cast<double>(params.seed));
  set_number_attr(f, "scale", params.scale);
  set_number_attr(f, "replications", params.replications);
}

ResultsFile::~ResultsFile() = default;

void ResultsFile::write(const gansu::Outcome& o) {
  Impl& s = *impl_;
  if (!s.laid_out) s.layout(o);
  const std::uint32_t r = o.replication;
  const std::size_t nt = o.time.size();
  std::vector<double> buf(nt);
  for (std::size_t i = 0; i < gansu::kIndicatorCount; ++i) {
    for (std::size_t t = 0; t < nt; ++t) buf[t] = o.series[t][i];
    s.write_row(std::string(gansu::indicator_infos()[i].name), r, H5T_NATIVE_DOUBLE, buf.data());
  }
  auto flat = [&](const auto& series, const char* name) {
    std::vector<double> v;
    for (const auto& row : series) v.insert(v.end(), row.begin(), row.end());
    s.write_row(name, r, H5T_NATIVE_DOUBLE, v.data());
  };
  flat(o.spaces_by_city, "spaces_by_city");
  flat(o.recognised_by_city, "recognised_by_city");
  flat(o.teams_by_city, "teams_by_city");
  flat(o.spaces_by_host, "spaces_by_host");
  flat(o.recognised_by_host, "recognised_by_host");
  flat(o.spaces_by_industry, "spaces_by_industry");
  flat(o.teams_by_industry, "teams_by_industry");
  s.write_row("money", r, H5T_NATIVE_DOUBLE, o.money.data());
  std::vector<double> value;
  std::vector<std::int8_t> met;
  const bool verdict = std::abs(s.params.scale - s.params.targets.scale) < 1e-12;
  for (std::size_t j = 0; j < gansu::kTargetIndicators.size(); ++j) {
    const double v = o.final_value(gansu::kTargetIndicators[j]);
    const double thr = s.params.targets.threshold[static_cast<std::size_t>(gansu::kTargetThreshold[j])];
    value.push_back(v);
    met.push_back(verdict ? static_cast<std::int8_t>(gansu::kTargetStrict[j] ? v > thr : v >= thr) : std::int8_t{-1});
  }
  s.write_row("target_value", r, H5T_NATIVE_DOUBLE, value.data());
  s.write_row("target_met", r, H5T_NATIVE_INT8, met.data());
  s.write_row("target_first_met", r, H5T_NATIVE_DOUBLE, o.first_met.data());
  auto counts = [&](const auto& v, const char* name) {
    std::vector<double> d(v.begin(), v.end());
    s.write_row(name, r, H5T_NATIVE_DOUBLE, d.data());
  };
  counts(o.events_by_type, "events");
  counts(o.edges_by_type, "edges_created");
  counts(o.agents_by_type, "agents");
  s.write_row("runtime", r, H5T_NATIVE_DOUBLE, &o.seconds);
  const std::int8_t one = 1;
  s.write_row("completed", r, H5T_NATIVE_INT8, &one);  // last, so a flagged replication is whole
  check(H5Fflush(s.file, H5F_SCOPE_GLOBAL), "flush the result file");
}

void ResultsFile::finish() {
  Impl& s = *impl_;
  if (s.finished) return;
  set_text_attr(s.file, "status", "complete");
  s.datasets.clear();
  s.file.reset();
  std::filesystem::rename(s.partial, s.path);
  s.finished = true;
}

}  // namespace innosim::results
