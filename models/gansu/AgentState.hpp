// The Gansu model's agents as structures of arrays: each array is written only by its own agent's handlers.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "models/gansu/Geography.hpp"
#include "sim/Event.hpp"

namespace innosim::gansu {

inline constexpr sim::AgentId kNone = 0xFFFFFFFFu;

enum class EnterpriseKind : std::uint8_t { Leading, Sme, Operator, Outside };
enum class MakerOrigin : std::uint8_t { EnterpriseStaff, Researcher, Commissioner, Student, Outside };
inline constexpr std::size_t kOriginCount = 5;
enum class InvestorKind : std::uint8_t { Angel, VentureFund, GuidanceFund, ZoneAngelFund, Bank, GuaranteeFirm };
inline constexpr std::size_t kInvestorKindCount = 6;
enum class MentorKind : std::uint8_t { Mentor, BusinessPlanner, Consultant, IndustrialDesigner };
enum class SpaceStatus : std::uint8_t { Inactive, Running, Closed };
enum class Grade : std::uint8_t { None, Excellent, Good, Pass, Fail };
enum class TeamStage : std::uint8_t { Inactive, Team, Registered, Funded, Graduated, Failed };
enum class MakerState : std::uint8_t { Idle, Applying, Founder, Member, Done };

/// Money instruments, public and private (million CNY). The first block is paid by government budgets.
enum class Instrument : std::uint8_t {
  ConstructionGrant,
  LocalSubsidy,
  CompetitionPrize,
  LeadingEnterpriseAward,
  ServicesSubsidy,
  RiskCompensation,
  VentureGuidanceFund,
  IndustryGuidanceFund,
  LanbaiFund,
  ZoneAngelFund,  // public money invested in teams
  TaxRelief,      // tax forgone on spaces' costs (accelerated depreciation, import relief, incubator rules)
  Angel,
  VentureCapital,
  BankLoan,
  GuaranteedLoan,
  CapitalMarket,
  HostFunding,
  Commissioned,  // private
  Count
};
inline constexpr std::size_t kInstrumentCount = static_cast<std::size_t>(Instrument::Count);
inline constexpr std::size_t kPublicInstruments = 11;

struct Cities {
  std::vector<double> population;  // 10,000 persons
  std::vector<double> subsidy_paid;
};

struct Zones {
  std::vector<std::uint8_t> city, national, lanbai, pilot;
  std::vector<sim::AgentId> space;  // its space slot
};

/// One end of a relation that an agent keeps as its attribute, and since when.
struct Link {
  sim::AgentId agent;
  double at;
};
inline bool has_link(const std::vector<Link>& links, sim::AgentId agent) {
  for (const Link& l : links)
    if (l.agent == agent) return true;
  return false;
}

struct Universities {
  std::vector<std::uint8_t> city, institute, lanbai;
  std::vector<float> research_staff, results;
  std::vector<std::uint32_t> transfers;
  std::vector<sim::AgentId> space;
  // Collaboration (enterprise -> university) is made by the university's transfers, never undone, and read only
  // by the university (is this firm a partner yet?): its attribute, not an edge. The firms, in order.
  std::vector<std::vector<Link>> partners;
};

struct Enterprises {
  std::vector<std::uint8_t> kind, city, industry, soe, idle_plant;
  std::vector<float> rd_intensity, digitalisation;
  std::vector<std::uint32_t> adopted, commissions;
  std::vector<sim::AgentId> space;  // its space slot, or kNone
  // Commissioning (enterprise -> space) likewise: made and read only by the enterprise. The spaces, in order.
  std::vector<std::vector<Link>> commissioned;
  // Industry chain (enterprise -> the leading firm an SME supplies, or the graduated firm whose technology it
  // adopted): made by the enterprise, walked by no rule. The firms, in order.
  std::vector<std::vector<Link>> chain;
};

struct Makers {
  std::vector<std::uint8_t> origin, city, state;
  std::vector<float> skill;
  std::vector<sim::AgentId> employer;  // enterprise or university agent at the start, or kNone
  // Employment only ever ends, so it is an attribute, not an edge (it was 40 % of the graph): the day the post
  // was left (NaN while held), written to the edge list as a relation.
  std::vector<double> employment_end;
  bool employed(std::size_t k) const { return employer[k] != kNone && std::isnan(employment_end[k]); }
  std::vector<std::uint8_t> returned_to_post;
};

struct Investors {
  std::vector<std::uint8_t> kind, city;
  std::vector<double> capital, invested, losses, compensated;
  std::vector<std::uint32_t> deals;
  // Investments and loans (investor -> team) are never undone and never walked, so they are attributes, not
  // edges (they were a third of the graph edits): the investor's own list, in the order it made them.
  struct Stake {
    sim::AgentId team;
    double at;
    bool loan;
  };
  std::vector<std::vector<Stake>> stakes;
};

struct Mentors {
  std::vector<std::uint8_t> kind, commissioner, city;
  std::vector<sim::AgentId> space;  // where serving, or kNone
  // Mentoring (mentor -> space) is walked by no handler, so it is attributes, not edges (it was half the graph
  // edits, and the dearest): each mentor's stints in the order served; `to` is +inf while serving.
  struct Stint {
    sim::AgentId space;
    double from;
    double to;
  };
  std::vector<std::vector<Stint>> stints;

  void join(std::size_t k, sim::AgentId at, double t) {
    space[k] = at;
    stints[k].push_back({at, t, std::numeric_limits<double>::infinity()});
  }
  void leave(std::size_t k, double t) {
    space[k] = kNone;
    stints[k].back().to = t;
  }
};

struct Spaces {
  std::vector<sim::AgentId> host;
  std::vector<std::uint8_t> host_type, city, industry, status, recognised, filed, grade, report_due, applied,
      idle_plant, initial;
  std::vector<std::uint16_t> desks;
  std::vector<double> cash, opened_at, closed_at, income, costs, host_money, commission_money, tax_relief;
  std::vector<std::vector<sim::AgentId>> residents, mentors;
  std::vector<std::uint32_t> admitted, graduated, commissions;
  std::vector<sim::AgentId> zone;  // the zone it sits in, or kNone
};

struct Teams {
  std::vector<std::uint8_t> stage, city, industry, origin, legacy, guaranteed, mentored;
  std::vector<float> quality;
  std::vector<sim::AgentId> space, guarantor;
  std::vector<std::uint16_t> members_new;  // people who entered from the run's start (T6)
  std::vector<std::uint16_t> size;
  std::vector<std::uint32_t> jobs;
  std::vector<double> founded_at, ended_at, public_money, private_money, loan, market_money;
  // The founding relation (maker -> team) is never undone and never walked, so it is attributes, not edges:
  // team slot k's founder is maker k, from founded_at[k]; the makers it took in later, and when.
  struct Joiner {
    sim::AgentId maker;
    double at;
  };
  std::vector<std::vector<Joiner>> joiners;
  // Membership (team -> space) likewise: a team enters one space when it starts and leaves it at most once.
  std::vector<sim::AgentId> home;  // the space it started in (space is kNone once it has left)
  std::vector<double> left_at;     // when it left that space; NaN while resident
};

struct Government {
  std::vector<double> budget_left;                       // per lever, this year
  std::vector<double> paid;                              // per instrument
  std::vector<sim::AgentId> applicants;                  // recognition applicants since the last batch
  std::vector<std::pair<double, sim::AgentId>> reports;  // (score, space) since the last evaluation
  std::vector<sim::AgentId> recognised;                  // its register of recognised spaces
  std::vector<std::uint8_t> excellent;                   // spaces ever graded excellent (by space index)
  std::uint32_t recognitions = 0, delistings = 0, filings = 0, evaluations = 0, awards = 0;
};

}  // namespace innosim::gansu
