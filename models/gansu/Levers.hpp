// The policy levers of the 2016 plan (POLICY.md §3, §4): each can be switched off, scaled, budgeted and dated.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>
#include <vector>

namespace innosim::gansu {

enum class LeverId : std::size_t {
  VentureGuidanceFund,       // §3.1 strategic-emerging-industry venture guidance fund
  IndustryGuidanceFund,      // §3.1 industry development guidance fund
  LanbaiInnovationFund,      // §3.1 Lanbai pilot-zone technology innovation fund
  SpaceConstructionSupport,  // §3.1 funds, existing land and buildings for hosts building spaces
  OutsideCooperation,        // §3.1 outside firms, universities, incubators come to build spaces
  IdlePlantConversion,       // §3.1/§3.5 idle plants and warehouses converted into spaces
  CompetitionSupport,        // §3.1 pooled special funds for competition winners and outside teams settling
  LocalFacilitySubsidy,      // §3.1 where conditions permit: subsidies for office, water, energy, network
  AcceleratedDepreciation,   // §3.2 (national)
  ImportTaxRelief,           // §3.2 (national)
  RdSuperDeduction,          // §3.2 (national) super-deduction of R&D commissioned from spaces
  IncubatorTaxPolicy,        // §3.2 (national) incubator tax rules for qualifying spaces
  AngelInvestment,           // §3.3 angel groups and VC resident in spaces
  ZoneAngelFunds,            // §3.3 angel funds of the Lanzhou and Baiyin high-tech zones
  InvestmentLoanLinkage,     // §3.3 banks lending alongside equity investors
  StartupGuaranteeLoans,     // §3.3 guarantee firms and banks: startup guarantee loans
  IpPledgeLoans,             // §3.3 IP-pledge, joint/mutual-guarantee and supply-chain loans
  PolicyBankCredit,          // §3.3 development and policy-bank credit
  CapitalMarket,             // §3.3 capital-market financing of firms from spaces
  RiskCompensation,          // §3.3 fiscal compensation of guarantee losses
  TransferRewards,           // §3.4 >= 50 % of transfer income rewards inventors
  ResearcherPostKept,        // §3.4 researchers keep their post up to 3 years
  LanbaiAutonomousDisposal,  // §3.4 Lanbai institutes transfer, invest, license on their own
  EnterpriseSpaceDeduction,  // §3.5 enterprises' investment in spaces qualifies for the super-deduction
  SoeInnovationAssessment,   // §3.5 SOE investment in spaces counts in their innovation assessment
  LeadingEnterpriseAward,    // §3.5 awards for recognised, excellent spaces of leading enterprises
  ScienceServicesIntoParks,  // §2.3 free or subsidised S&T services in spaces
  CommissionersAsMentors,    // §2.3 S&T commissioners serve as mentors in spaces
  JointConference,           // §4.1 coordination, monitoring, one published channel, no duplicated support
  DemonstrationPilots,       // §4.2 Lanzhou New Area, Lanbai zone and zones pilot first
  RegionalGuidance,          // §4.3 guidance by city/prefecture (per-city settings)
  Publicity,                 // §4.4 promotion of spaces, projects and founders
  Count
};

inline constexpr std::size_t kLeverCount = static_cast<std::size_t>(LeverId::Count);

struct LeverInfo {
  std::string_view key;  // scenario key under policy.
  std::string_view section;
  std::string_view doc;
  double default_budget;  // million CNY per year; 0 = the lever spends no budget of its own
  bool national;          // a national policy: stays at its national setting in the no-plan counterfactual
};

const std::array<LeverInfo, kLeverCount>& lever_infos();
/// What the lever's annual budget pays for ("" for a lever that spends no public budget of its own).
std::string_view budget_use(LeverId id);

/// A value that may change on dates: `value` from the run's start, then each change from its day on.
struct StepSchedule {
  struct Change {
    double day;  // simulated day (days since 2016-01-01)
    double value;
  };
  double value = 0;
  std::vector<Change> changes;  // strictly increasing days, all after the run's start

  StepSchedule() = default;
  StepSchedule(double v) : value(v) {}  // NOLINT: a plain number is a schedule that never changes
  double at(double t) const { return changes.empty() || t < changes.front().day ? value : at_changed(t); }
  double max() const;
  /// The first day after t on which the value changes (infinity when none).
  double next_change(double t) const;

 private:
  double at_changed(double t) const;
};

/// A lever as the model sees it: on from `start` (simulated day) if enabled; `scale` multiplies its effect.
struct Lever {
  bool enabled = true;
  StepSchedule scale{1.0};
  StepSchedule annual_budget{0.0};  // million CNY per year
  double start = 0;

  bool active(double t) const { return enabled && t >= start && scale.at(t) > 0; }
  /// The lever's strength at time t: scale when active, 0 otherwise.
  double strength(double t) const { return active(t) ? scale.at(t) : 0.0; }
};

}  // namespace innosim::gansu
