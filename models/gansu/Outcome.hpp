// What one replication of the Gansu model produced: monthly indicator series, breakdowns and final figures.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "models/gansu/AgentState.hpp"
#include "models/gansu/Geography.hpp"
#include "sim/AgentGraph.hpp"

namespace innosim::gansu {

enum class Indicator : std::size_t {
  T1Recognised,
  T1All,
  T2Recognised,
  T2All,
  T3Recognised,
  T3All,
  T4Recognised,
  T4All,
  T5Mentors,
  T6Entrepreneurs,
  SpacesFiled,
  SpacesOpened,
  SpacesClosed,
  Recognitions,
  Delistings,
  TeamsResident,
  TeamsResidentRecognised,
  TeamsFounded,
  TeamsFunded,
  TeamsGraduated,
  TeamsFailed,
  Jobs,
  Transfers,
  UpgradedEnterprises,
  Commissions,
  PublicMoney,
  PrivateMoney,
  Count
};
inline constexpr std::size_t kIndicatorCount = static_cast<std::size_t>(Indicator::Count);

struct IndicatorInfo {
  std::string_view name, units, long_name;
};
const std::array<IndicatorInfo, kIndicatorCount>& indicator_infos();
const std::array<std::string_view, kInstrumentCount>& instrument_names();

/// Targets as POLICY §5a counts them: T1–T4 twice ((a) recognised or filed, (b) all operating), T5, T6.
inline constexpr std::array<Indicator, 10> kTargetIndicators{
    Indicator::T1Recognised, Indicator::T1All,          Indicator::T2Recognised, Indicator::T2All,
    Indicator::T3Recognised, Indicator::T3All,          Indicator::T4Recognised, Indicator::T4All,
    Indicator::T5Mentors,    Indicator::T6Entrepreneurs};
/// Which threshold (T1..T6, 0-based) each target indicator is held to, and whether it must be exceeded (>).
inline constexpr std::array<int, 10> kTargetThreshold{0, 0, 1, 1, 2, 2, 3, 3, 4, 5};
inline constexpr std::array<bool, 10> kTargetStrict{false, false, false, false, false, false, false, false, true, true};

/// Agents' state at a year end (1 January) or at the run's end; only with Parameters::snapshots.
struct Snapshot {
  double time = 0;
  std::vector<std::uint8_t> space_status, space_recognised, space_filed, space_grade;
  std::vector<std::uint16_t> space_residents, space_mentors;
  std::vector<float> space_cash;
  std::vector<std::uint8_t> team_stage;
  std::vector<std::uint32_t> team_jobs;
  std::vector<std::uint8_t> maker_state;
};

struct Outcome {
  std::uint32_t replication = 0;
  std::vector<double> time;  // days since 2016-01-01, one per monthly snapshot (the last is the run's end)
  std::vector<std::array<double, kIndicatorCount>> series;
  std::vector<std::array<double, kCityCount>> spaces_by_city, recognised_by_city, teams_by_city;
  std::vector<std::array<double, kHostTypeCount>> spaces_by_host, recognised_by_host, opened_by_host;
  std::vector<std::array<double, kIndustryCount>> spaces_by_industry, teams_by_industry;
  std::array<double, kInstrumentCount> money{};  // cumulative at the end, million CNY
  std::vector<double> first_met;                 // per target indicator: day first met, or NaN
  std::vector<std::uint64_t> events_by_type;
  std::vector<std::string> event_names;
  std::vector<std::uint64_t> edges_by_type;  // ever created
  std::vector<std::uint64_t> agents_by_type;
  std::vector<std::string> agent_type_names;
  std::uint64_t events = 0;
  std::uint64_t live_edges = 0;
  double seconds = 0;
  double window_seconds = 0, between_seconds = 0;  // of the engine's run: in windows, between them (serial)
  double busy_share = 0, imbalance_share = 0;      // inside windows: sim::busy_share, sim::imbalance_share
  std::uint64_t windows = 0;                       // the engine's windows
  unsigned threads_used = 0;
  std::vector<Snapshot> snapshots;     // year ends and the end; empty unless asked for
  std::vector<sim::EdgeRecord> edges;  // the final graph with every ended edge; empty unless asked for

  const std::array<double, kIndicatorCount>& final() const { return series.back(); }
  double final_value(Indicator i) const { return series.back()[static_cast<std::size_t>(i)]; }
};

}  // namespace innosim::gansu
