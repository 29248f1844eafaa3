#include "models/gansu/Outcome.hpp"

namespace innosim::gansu {

const std::array<IndicatorInfo, kIndicatorCount>& indicator_infos() {
  static const std::array<IndicatorInfo, kIndicatorCount> infos{{
      {"T1_recognised", "spaces", "T1(a): operating maker spaces provincially recognised or nationally filed"},
      {"T1_all", "spaces", "T1(b): all operating maker spaces"},
      {"T2_recognised", "spaces", "T2(a): recognised/filed spaces run by leading enterprises"},
      {"T2_all", "spaces", "T2(b): operating spaces run by leading enterprises"},
      {"T3_recognised", "spaces", "T3(a): recognised/filed spaces run by universities and institutes"},
      {"T3_all", "spaces", "T3(b): operating spaces run by universities and institutes"},
      {"T4_recognised", "spaces", "T4(a): recognised/filed spaces run by development zones"},
      {"T4_all", "spaces", "T4(b): operating spaces run by development zones"},
      {"T5_mentors", "persons", "T5: mentors, planners, consultants and designers serving in spaces"},
      {"T6_entrepreneurs", "persons",
       "T6: people who entered spaces or founded teams in them since the start (cumulative)"},
      {"spaces_filed", "spaces", "operating spaces nationally filed"},
      {"spaces_opened", "spaces", "spaces opened since the start (cumulative)"},
      {"spaces_closed", "spaces", "spaces closed since the start (cumulative)"},
      {"recognitions", "spaces", "provincial recognitions granted since the start (cumulative)"},
      {"delistings", "spaces", "recognitions withdrawn after a failed evaluation (cumulative)"},
      {"teams_resident", "teams", "startup teams resident in spaces"},
      {"teams_resident_recognised", "teams",
       "startup teams resident in recognised or filed spaces (what the province reports of its spaces)"},
      {"teams_founded", "teams", "teams founded in spaces since the start (cumulative)"},
      {"teams_funded", "teams", "teams that raised equity or loans (cumulative)"},
      {"teams_graduated", "teams", "teams that graduated from spaces (cumulative)"},
      {"teams_failed", "teams", "teams that failed (cumulative)"},
      {"jobs", "jobs", "jobs in teams founded since the start"},
      {"technology_transfers", "transfers",
       "results transferred or licensed by universities and institutes (cumulative)"},
      {"upgraded_enterprises", "enterprises",
       "traditional-industry enterprises that adopted startups' technology (cumulative)"},
      {"rd_commissions", "contracts", "R&D contracts enterprises placed with spaces (cumulative)"},
      {"public_money", "million CNY", "public money spent on spaces and teams (cumulative)"},
      {"private_money", "million CNY", "private money put into spaces and teams (cumulative)"},
  }};
  return infos;
}

const std::array<std::string_view, kInstrumentCount>& instrument_names() {
  static const std::array<std::string_view, kInstrumentCount> names{"construction_grant",
                                                                    "local_subsidy",
                                                                    "competition_prize",
                                                                    "leading_enterprise_award",
                                                                    "services_subsidy",
                                                                    "risk_compensation",
                                                                    "venture_guidance_fund",
                                                                    "industry_guidance_fund",
                                                                    "lanbai_fund",
                                                                    "zone_angel_fund",
                                                                    "tax_relief",
                                                                    "angel",
                                                                    "venture_capital",
                                                                    "bank_loan",
                                                                    "guaranteed_loan",
                                                                    "capital_market",
                                                                    "host_funding",
                                                                    "commissioned_rd"};
  return names;
}

}  // namespace innosim::gansu
