// Each lever of the scenario schema, switched off, must move an output it feeds in the expected direction by
// more than 2 standard errors of the paired difference (common random numbers: same seed and replication
// indices; 20 replications at scale 0.1). Exemptions, with reasons, are listed in docs/ODD.md (none now).
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <map>

#include "TestScenario.hpp"
#include "models/gansu/Ensemble.hpp"

using namespace innosim;
using gansu::Indicator;
using gansu::Instrument;
using gansu::LeverId;

namespace {

constexpr std::uint32_t kReplications = 20;

double indicator(const gansu::Outcome& o, Indicator i) { return o.final_value(i); }
double money(const gansu::Outcome& o, Instrument i) { return o.money[static_cast<std::size_t>(i)]; }

struct Expectation {
  std::string output;
  std::function<double(const gansu::Outcome&)> read;  // the lever's "on" value should exceed its "off" value
};

std::map<LeverId, Expectation> expectations() {
  auto ind = [](Indicator i) {
    return Expectation{std::string(gansu::indicator_infos()[static_cast<std::size_t>(i)].name),
                       [i](const gansu::Outcome& o) { return indicator(o, i); }};
  };
  auto cash = [](Instrument i) {
    return Expectation{"money." + std::string(gansu::instrument_names()[static_cast<std::size_t>(i)]),
                       [i](const gansu::Outcome& o) { return money(o, i); }};
  };
  return {
      {LeverId::VentureGuidanceFund, cash(Instrument::VentureGuidanceFund)},
      {LeverId::IndustryGuidanceFund, cash(Instrument::IndustryGuidanceFund)},
      {LeverId::LanbaiInnovationFund, cash(Instrument::LanbaiFund)},
      {LeverId::SpaceConstructionSupport, ind(Indicator::SpacesOpened)},
      {LeverId::OutsideCooperation,
       {"opened_by_host.outside", [](const gansu::Outcome& o) { return o.opened_by_host.back()[4]; }}},
      {LeverId::IdlePlantConversion, ind(Indicator::T2All)},
      {LeverId::CompetitionSupport, cash(Instrument::CompetitionPrize)},
      {LeverId::LocalFacilitySubsidy, cash(Instrument::LocalSubsidy)},
      {LeverId::AcceleratedDepreciation, cash(Instrument::TaxRelief)},
      {LeverId::ImportTaxRelief, cash(Instrument::TaxRelief)},
      {LeverId::RdSuperDeduction, ind(Indicator::Commissions)},
      {LeverId::IncubatorTaxPolicy, cash(Instrument::TaxRelief)},
      {LeverId::AngelInvestment, cash(Instrument::Angel)},
      {LeverId::ZoneAngelFunds, cash(Instrument::ZoneAngelFund)},
      {LeverId::InvestmentLoanLinkage, cash(Instrument::BankLoan)},
      {LeverId::StartupGuaranteeLoans, cash(Instrument::GuaranteedLoan)},
      {LeverId::IpPledgeLoans, cash(Instrument::BankLoan)},
      {LeverId::PolicyBankCredit, cash(Instrument::BankLoan)},
      {LeverId::CapitalMarket, cash(Instrument::CapitalMarket)},
      {LeverId::RiskCompensation, cash(Instrument::RiskCompensation)},
      {LeverId::TransferRewards, ind(Indicator::Transfers)},
      {LeverId::ResearcherPostKept, ind(Indicator::T6Entrepreneurs)},
      {LeverId::LanbaiAutonomousDisposal, ind(Indicator::Transfers)},
      {LeverId::EnterpriseSpaceDeduction, ind(Indicator::T2All)},
      {LeverId::SoeInnovationAssessment, ind(Indicator::T2All)},
      {LeverId::LeadingEnterpriseAward, cash(Instrument::LeadingEnterpriseAward)},
      {LeverId::ScienceServicesIntoParks, ind(Indicator::T5Mentors)},
      {LeverId::CommissionersAsMentors, ind(Indicator::T5Mentors)},
      {LeverId::JointConference, ind(Indicator::Recognitions)},
      {LeverId::DemonstrationPilots, ind(Indicator::T4All)},
      {LeverId::RegionalGuidance,
       {"spaces_by_city.Lanzhou", [](const gansu::Outcome& o) { return o.spaces_by_city.back()[gansu::kLanzhou]; }}},
      {LeverId::Publicity, ind(Indicator::T6Entrepreneurs)},
  };
}

class LeverResponse : public ::testing::TestWithParam<std::size_t> {
 protected:
  static void SetUpTestSuite() {
    base = test::scenario("baseline.yaml", {"run.scale=0.1"});
    on = gansu::run_ensemble(base, {0, kReplications, 2});
  }
  static inline gansu::Parameters base;
  static inline std::vector<gansu::Outcome> on;
};

}  // namespace

TEST(LeverResponseTable, CoversEveryLeverOfTheSchema) { EXPECT_EQ(expectations().size(), gansu::kLeverCount); }

TEST_P(LeverResponse, SwitchedOffMovesWhatItFeeds) {
  const auto lever = static_cast<LeverId>(GetParam());
  const std::string key = std::string(gansu::lever_infos()[GetParam()].key);
  const auto expect = expectations().at(lever);
  const auto off_params = test::scenario("baseline.yaml", {"run.scale=0.1", "policy." + key + ".enabled=false"});
  const auto off = gansu::run_ensemble(off_params, {0, kReplications, 2});
  double mean = 0, sq = 0;
  for (std::uint32_t r = 0; r < kReplications; ++r) {
    const double d = expect.read(on[r]) - expect.read(off[r]);
    mean += d;
    sq += d * d;
  }
  mean /= kReplications;
  const double var = (sq - kReplications * mean * mean) / (kReplications - 1);
  const double se = std::sqrt(std::max(0.0, var) / kReplications);
  EXPECT_GT(mean, 2 * se) << key << " off should lower " << expect.output << ": mean paired difference " << mean
                          << ", standard error " << se;
  EXPECT_GT(mean, 0) << key;
}

INSTANTIATE_TEST_SUITE_P(AllLevers, LeverResponse, ::testing::Range<std::size_t>(0, gansu::kLeverCount),
                         [](const auto& p) { return std::string(gansu::lever_infos()[p.param].key); });
