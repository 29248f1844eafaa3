#include "models/gansu/Levers.hpp"

#include <algorithm>
#include <limits>

namespace innosim::gansu {

const std::array<LeverInfo, kLeverCount>& lever_infos() {
  static const std::array<LeverInfo, kLeverCount> infos{{
      {"venture_guidance_fund", "3.1", "guidance fund co-investing with angels and VCs in teams of emerging industries",
       60, false},
      {"industry_guidance_fund", "3.1", "guidance fund co-investing in teams of traditional industries", 40, false},
      {"lanbai_innovation_fund", "3.1", "Lanbai pilot-zone fund co-investing in teams in Lanzhou and Baiyin", 30,
       false},
      {"space_construction_support", "3.1",
       "grants, land and buildings for hosts that build spaces; one-off grant on recognition", 30, false},
      {"outside_cooperation", "3.1", "outside firms, universities and incubators build spaces in Gansu", 0, false},
      {"idle_plant_conversion", "3.1, 3.5", "idle plants and warehouses of eliminated capacity converted into spaces",
       0, false},
      {"competition_support", "3.1", "prizes for competition winners and outside winning teams that settle in Gansu",
       15, false},
      {"local_facility_subsidy", "3.1",
       "city subsidies for spaces' office, water, energy and network (per-city switch)", 25, false},
      {"accelerated_depreciation", "3.2", "accelerated depreciation of spaces' R&D equipment", 0, true},
      {"import_tax_relief", "3.2", "import tax relief on research instruments", 0, true},
      {"rd_super_deduction", "3.2", "pre-tax super-deduction of R&D commissioned from spaces and of small firms' R&D",
       0, true},
      {"incubator_tax_policy", "3.2", "incubator tax rules applied to qualifying (recognised) spaces", 0, true},
      {"angel_investment", "3.3", "angel groups and venture funds resident in spaces", 0, false},
      {"zone_angel_funds", "3.3", "angel funds of the Lanzhou and Baiyin high-tech zones", 20, false},
      {"investment_loan_linkage", "3.3", "banks lend alongside equity investors (investment-loan linkage)", 0, false},
      {"startup_guarantee_loans", "3.3", "guarantee firms and banks make startup guarantee loans", 0, false},
      {"ip_pledge_loans", "3.3", "IP-pledge, joint/mutual-guarantee and supply-chain loans", 0, false},
      {"policy_bank_credit", "3.3", "development and policy-bank credit to startups", 0, false},
      {"capital_market", "3.3", "graduated firms raise money on capital markets", 0, false},
      {"risk_compensation", "3.3", "fiscal compensation of guarantee losses (risk compensation)", 15, false},
      {"transfer_rewards", "3.4",
       "at least 50 % of transfer income rewards inventors (share: policy.transfer_rewards.share)", 0, true},
      {"researcher_post_kept", "3.4",
       "researchers keep their post while founding (years: policy.researcher_post_kept.years)", 0, false},
      {"lanbai_autonomous_disposal", "3.4",
       "institutes in the Lanbai zone transfer, invest and license results on their own", 0, false},
      {"enterprise_space_deduction", "3.5", "enterprises' investment in spaces qualifies for the R&D super-deduction",
       0, false},
      {"soe_innovation_assessment", "3.5",
       "state-owned enterprises' investment in spaces counts in their innovation assessment", 0, false},
      {"leading_enterprise_award", "3.5", "awards for recognised, excellent spaces founded by leading enterprises", 10,
       false},
      {"science_services_into_parks", "2.3", "free or subsidised S&T services and mentors in spaces", 8, false},
      {"commissioners_as_mentors", "2.3", "S&T commissioners and service-centre staff serve as mentors in spaces", 0,
       false},
      {"joint_conference", "4.1",
       "joint conference and monitoring: yearly evaluation, published channel, no duplicated support", 0, false},
      {"demonstration_pilots", "4.2", "Lanzhou New Area, the Lanbai zone and development zones pilot first", 0, false},
      {"regional_guidance", "4.3", "guidance by city/prefecture: cities.<name>.guidance multiplies local founding", 0,
       false},
      {"publicity", "4.4", "promotion of spaces, winning projects and founders", 0, false},
  }};
  return infos;
}

std::string_view budget_use(LeverId id) {
  switch (id) {
    case LeverId::VentureGuidanceFund:
      return "capital of the venture guidance fund, which co-invests beside angels and VCs in emerging industries";
    case LeverId::IndustryGuidanceFund:
      return "capital of the industry guidance fund, which co-invests in teams of traditional industries";
    case LeverId::LanbaiInnovationFund:
      return "capital of the Lanbai innovation fund, which co-invests in teams in Lanzhou and Baiyin";
    case LeverId::ZoneAngelFunds:
      return "capital of the public angel funds of the Lanzhou (60 %) and Baiyin (40 %) high-tech zones; "
             "this is the public angel money (policy.angel_investment is private angels and VCs)";
    case LeverId::SpaceConstructionSupport:
      return "construction grants to hosts and one-off grants on recognition";
    case LeverId::CompetitionSupport:
      return "prizes to competition winners and outside winning teams that settle";
    case LeverId::LocalFacilitySubsidy:
      return "cities' subsidies of spaces' office, water, energy and network, shared by population";
    case LeverId::RiskCompensation:
      return "compensation of guarantee firms' losses on startup loans";
    case LeverId::LeadingEnterpriseAward:
      return "awards to excellent recognised spaces of leading enterprises";
    case LeverId::ScienceServicesIntoParks:
      return "subsidised S&T services in spaces";
    default:
      return "";
  }
}

double StepSchedule::at_changed(double t) const {
  const auto after =
      std::upper_bound(changes.begin(), changes.end(), t, [](double time, const Change& c) { return time < c.day; });
  return after == changes.begin() ? value : std::prev(after)->value;
}

double StepSchedule::max() const {
  double m = value;
  for (const Change& c : changes) m = std::max(m, c.value);
  return m;
}

double StepSchedule::next_change(double t) const {
  for (const Change& c : changes)
    if (c.day > t) return c.day;
  return std::numeric_limits<double>::infinity();
}

}  // namespace innosim::gansu
