#include "models/gansu/GansuModel.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <tuple>

#include "models/gansu/AgentStateCodec.hpp"
#include "models/gansu/OutcomeCodec.hpp"
#include "sim/Calendar.hpp"
#include "sim/Simulation.hpp"
#include "sim/StateStream.hpp"

namespace innosim::gansu {

namespace {

using sim::AgentId;
using sim::Context;
using sim::Event;
using sim::EventType;

constexpr double kYear = 365.25;
constexpr double kMonth = kYear / 12;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Relations of MODEL.md, one edge type each.
enum Edge : sim::EdgeType {
  kEmployment,
  kHosting,
  kMembership,
  kFounding,
  kMentoring,
  kInvestment,
  kLending,
  kCollaboration,
  kCommissioning,
  kIndustryChain,
  kLocation,
  kZoneLocation,
  kEdgeTypeCount
};
constexpr const char* kEdgeNames[kEdgeTypeCount] = {"employment",    "hosting",        "membership", "founding",
                                                    "mentoring",     "investment",     "lending",    "collaboration",
                                                    "commissioning", "industry_chain", "location",   "zone_location"};

struct Pair {
  std::uint32_t a;
  float b;
};
struct Ids {
  std::uint32_t a;
  std::uint32_t b;
};

std::uint32_t count(double v) { return static_cast<std::uint32_t>(std::llround(std::max(0.0, v))); }
std::uint32_t scaled(double v, double scale, std::uint32_t at_least = 0) {
  return std::max(at_least, count(v * scale));
}

/// Splits `total` over weights by largest remainder: deterministic, sums exactly to total.
std::vector<std::uint32_t> allocate(std::uint32_t total, const std::vector<double>& w) {
  const double sum = std::accumulate(w.begin(), w.end(), 0.0);
  std::vector<std::uint32_t> out(w.size());
  std::vector<std::pair<double, std::size_t>> rest;
  std::uint32_t given = 0;
  for (std::size_t i = 0; i < w.size(); ++i) {
    const double exact = total * w[i] / sum;
    out[i] = static_cast<std::uint32_t>(std::floor(exact));
    given += out[i];
    rest.push_back({-(exact - out[i]), i});
  }
  std::sort(rest.begin(), rest.end());
  for (std::size_t k = 0; given < total; ++k, ++given) ++out[rest[k % rest.size()].second];
  return out;
}

/// City of the i-th of n agents spread by weights (contiguous blocks per city).
std::vector<std::uint8_t> spread(std::uint32_t n, const std::vector<double>& w) {
  const auto per = allocate(n, w);
  std::vector<std::uint8_t> city;
  city.reserve(n);
  for (std::size_t c = 0; c < per.size(); ++c) city.insert(city.end(), per[c], static_cast<std::uint8_t>(c));
  return city;
}

std::vector<double> population_weights(double lanzhou_factor) {
  std::vector<double> w(kCityPopulation.begin(), kCityPopulation.end());
  w[kLanzhou] *= lanzhou_factor;
  return w;
}

}  // namespace

std::uint64_t PopulationCounts::total() const {
  return 1ull + cities + zones + universities + institutes + enterprises() + makers + investors() + mentors +
         commissioner_mentors + spaces + makers /* team slots */;
}

PopulationCounts population_counts(const Parameters& p) {
  const Assumptions& a = p.a;
  PopulationCounts c;
  c.zones = 2 + 5 + 1 + 28 + 30 + 1;  // national high-tech, econ-tech, customs; provincial; other; Lanzhou New Area
  c.universities = 49;
  c.institutes = count(a.research_institutes);
  c.leading = count(a.leading_enterprises);
  c.initial_unrecognised = count(a.unrecognised_spaces);
  c.initial_enterprise = count(61 * a.share_2015_enterprise);
  c.initial_university = count(61 * a.share_2015_university);
  c.initial_zone = count(61 * a.share_2015_zone);
  c.initial_market = 61 - c.initial_enterprise - c.initial_university - c.initial_zone + c.initial_unrecognised;
  c.smes = scaled(a.innovative_smes, p.scale, 13);
  c.operators = scaled(a.sme_space_operators, p.scale) + c.initial_market;  // the 2016 spaces' operators exist once
  c.outside = scaled(a.outside_operators, p.scale, 1);
  c.makers = scaled(a.makers, p.scale, 100);
  c.angels = scaled(a.angels, p.scale, 1);
  c.vc_funds = scaled(a.vc_funds, p.scale, 1);
  c.banks = scaled(a.banks, p.scale, 1);
  c.guarantee_firms = scaled(a.guarantee_firms, p.scale, 1);
  c.mentors = scaled(a.mentors, p.scale, 4);
  c.commissioner_mentors = scaled(a.commissioner_mentors, p.scale, 1);
  c.spaces = c.leading + c.universities + c.institutes + c.zones + c.operators + c.outside;
  return c;
}

struct GansuModel::Impl {
  Parameters p;
  std::uint32_t replication;
  PopulationCounts n;
  sim::Simulation sim;
  sim::Calendar calendar{std::chrono::year(2016) / 1 / 1};
  sim::AgentType gov_t, city_t, zone_t, univ_t, ent_t, maker_t, inv_t, mentor_t, space_t, team_t;

  Government gov;
  Cities cities;
  Zones zones;
  Universities univs;
  Enterprises ents;
  Makers makers;
  Investors invs;
  Mentors mentors;
  Spaces spaces;
  Teams teams;
  std::vector<std::uint32_t> team_version;
  std::vector<std::uint32_t> mentor_version;  // a mentor has one live decision chain; older events are stale
  std::vector<double> lever_granted, lever_spent;
  std::vector<int> lever_funded_year;
  std::vector<double> lever_funded_rate;  // the annual budget a lever was funded at this year
  std::vector<double> scale_changes;      // days on which some enabled lever's scale changes (sorted, unique)
  std::vector<double> city_budget;
  Checkpoints checkpoints;
  std::vector<char> resume_state;  // a saved state to continue from, or empty
  bool stopped = false;

  // Attributes fixed at setup: any handler may read them.
  std::array<std::vector<AgentId>, kIndustryCount> ents_by_industry;
  std::array<std::vector<AgentId>, kCityCount> ents_by_city;
  std::array<std::vector<AgentId>, kInvestorKindCount> invs_by_kind;
  std::array<std::vector<AgentId>, kCityCount> angels_by_city;
  AgentId venture_fund = 0, industry_fund = 0, lanbai_fund = 0, zone_fund_lanzhou = 0, zone_fund_baiyin = 0;

  struct Events {
    EventType budget_year, recognition_batch, evaluation_round, filing_round, recognition_application, annual_report,
        claim, space_closed, local_subsidy_round, host_considers_space, commission_rd, tech_offer, transfer_result,
        maker_acts, admitted, rejected, team_ended, post_expires, open_space, apply_desk, team_leaves, mentor_offer,
        mentor_leaves, month_accounts, grant, commission, recognised, graded, filed, team_start, join_team, team_step,
        funded, evicted, pitch, coinvest_request, capital_topup, guarantee_loss, mentor_acts, mentor_accepted,
        mentor_rejected, mentor_released;
  } ev{};

  // The monthly team indicators, kept as running totals instead of a scan of every team each month:
  // handlers add each change to an engine tally (sim::Context::tally), and the recorder adds each window's
  // sums. The totals are integer counts (exact in a double, so equal to the scan's, and to the event-ordered
  // sum of the records they were before: storing, merging and adding up 37k records took about 2 ms of a
  // 2-thread scale-1 run).
  // The teams that raised market money are records (which teams, not how many); the money is summed at each
  // capture over them, in slot order.
  enum TeamCount : std::uint16_t { Entrepreneurs = 1, Graduated, Failed, Founded, Jobs, Funded, MarketMoney };
  static constexpr std::uint16_t kTallied = Funded;  // Entrepreneurs..Funded are tallies
  std::array<double, 8> team_totals{};
  std::array<sim::TallyId, kTallied + 1> tally_id{};
  std::vector<std::uint32_t> market_teams;  // slots with market money, sorted once per capture
  std::size_t market_sorted = 0;            // market_teams[0, market_sorted) are in order
  void tally(Context& ctx, TeamCount what, std::int64_t delta) { ctx.tally(tally_id[what], delta); }
  bool has_funding(std::uint32_t k) const { return teams.private_money[k] + teams.public_money[k] + teams.loan[k] > 0; }
  /// Reports a change of team k's funding for the Funded count (founded, non-legacy teams only).
  void count_funding(Context& ctx, std::uint32_t k, bool before) {
    if (!teams.legacy[k] && has_funding(k) != before) tally(ctx, Funded, has_funding(k) ? 1 : -1);
  }
  void add_up(const sim::Record& r);
  void add_up(std::span<const std::int64_t> window_sums);
  /// One part per thread of the run: loops split into tasks (the calendar's makers, the capture's spaces, the edge
  /// counts) that run at once, or in order on one thread.
  std::uint32_t thread_parts() const { return std::max(1u, sim.config().threads); }
  /// body(part) for every part in [0, parts), as tasks at once on the run's threads.
  template <class Body>
  void in_parts(std::uint32_t parts, const Body& body) {
    std::vector<std::function<void()>> tasks;
    for (std::uint32_t c = 0; c < parts; ++c) tasks.emplace_back([&body, c] { body(c); });
    sim.concurrently(tasks);
  }
  void sort_market_teams() {
    std::sort(market_teams.begin() + static_cast<std::ptrdiff_t>(market_sorted), market_teams.end());
    std::inplace_merge(market_teams.begin(), market_teams.begin() + static_cast<std::ptrdiff_t>(market_sorted),
                       market_teams.end());
    market_sorted = market_teams.size();
  }

  Impl(const Parameters& params, std::uint32_t rep, unsigned threads)
      : p(params), replication(rep), n(population_counts(params)), sim(config(params, rep, threads)) {}
  // The agents' containers are freed two at once: a scale-1 teardown frees tens of thousands of small vectors
  // (teams' joiners, spaces' residents, mentors' stints), 1.2-1.6 ms on one thread. Freeing cannot throw; only
  // starting the tasks could, and then the members are freed as usual.
  ~Impl() {
    try {
      sim.concurrently({[&] { teams = {}; },
                        [&] {
                          spaces = {};
                          mentors = {};
                          invs = {};
                          ents = {};
                          univs = {};
                          makers = {};
                        }});
    } catch (...) {
    }
  }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  static sim::SimulationConfig config(const Parameters& p, std::uint32_t rep, unsigned threads) {
    sim::SimulationConfig c;
    c.start = p.start;
    c.end = p.end - 1e-6;
    c.lookahead = p.lookahead;
    c.threads = threads;
    c.seed = p.seed;
    c.replication = rep;
    return c;
  }

  // ---- helpers -------------------------------------------------------------------------------------------
  const Lever& lever(LeverId id) const { return p.lever(id); }
  double s(LeverId id, double t) const { return lever(id).strength(t); }
  /// Upper bound of a lever's strength from t until its scale next changes, for thinning.
  double smax(LeverId id, double t) const { return lever(id).enabled ? lever(id).scale.at(t) : 0.0; }
  double share_eff(double t) const { return lever(LeverId::TransferRewards).active(t) ? p.transfer_share : 0.2; }
  double share_max() const { return lever(LeverId::TransferRewards).enabled ? std::max(p.transfer_share, 0.2) : 0.2; }
  double guidance(std::uint8_t city, double t) const {
    return 1.0 + (p.city_guidance[city] - 1.0) * s(LeverId::RegionalGuidance, t);
  }
  double guidance_max(std::uint8_t city, double t) const {
    return std::max(1.0, 1.0 + (p.city_guidance[city] - 1.0) * smax(LeverId::RegionalGuidance, t));
  }
  /// A hazard's next candidate at `when`, drawn with bound `rate_max` (payload b). A bound holds only until some
  /// lever's scale changes (a schedule), so a candidate past that day is moved to it as a re-draw (payload b < 0):
  /// exact, since the exponential is memoryless, and draws before the change are those of a run without it.
  sim::Payload candidate(double now, double& when, std::uint32_t a, double rate_max) const {
    const auto change = std::upper_bound(scale_changes.begin(), scale_changes.end(), now);
    if (change != scale_changes.end() && when > *change) {
      when = *change;
      return sim::make_payload(Pair{a, -1.0f});
    }
    return sim::make_payload(Pair{a, static_cast<float>(rate_max)});
  }
  /// Schedules a hazard event with rate bound `rate_max` per year (thinning: the handler accepts with rate/rate_max).
  void after_hazard(Context& ctx, double rate_max, EventType type) {
    if (rate_max <= 0) return;
    double when = ctx.now() + ctx.rng().exponential(kYear / rate_max);
    const sim::Payload payload = candidate(ctx.now(), when, 0, rate_max);
    ctx.schedule(ctx.self(), when, type, payload);
  }
  /// A mentor's next decision; it supersedes any decision still pending (a release restarts the chain).
  void next_mentor_decision(Context& ctx, double rate_max) {
    if (rate_max <= 0) return;
    const std::uint32_t version = ++mentor_version[ctx.self() - mentor_t.first];
    double when = ctx.now() + ctx.rng().exponential(kYear / rate_max);
    const sim::Payload payload = candidate(ctx.now(), when, version, rate_max);
    ctx.schedule(ctx.self(), when, ev.mentor_acts, payload);
  }
  /// A hazard event moved to a scale change (see candidate): the handler draws anew with the bound from now.
  static bool is_redraw(const Event& e) { return sim::payload_as<Pair>(e.payload).b < 0; }
  bool thinning_accepts(Context& ctx, const Event& e, double rate) {
    const double bound = sim::payload_as<Pair>(e.payload).b;
    return ctx.rng().uniform() * bound < rate;
  }
  int year_of(double t) const { return static_cast<int>(calendar.to_date(t).year()); }
  unsigned month_of(double t) const { return static_cast<unsigned>(calendar.to_date(t).month()); }
  AgentId gov_id() const { return gov_t.first; }
  AgentId city_id(std::uint8_t c) const { return city_t.first + c; }
  double later(const Context& ctx) const { return ctx.now() + p.lookahead; }

  /// A random running space of a city (from the published location edges, the only edges into a city),
  /// else of Lanzhou; kNone when there is none. O(1): no list is copied.
  AgentId space_near(Context& ctx, std::uint8_t city) {
    for (const std::uint8_t c : {city, kLanzhou}) {
      const std::size_t count = ctx.graph().in_degree(city_id(c));
      if (count > 0) return ctx.graph().in_edge(city_id(c), ctx.rng().below(static_cast<std::uint32_t>(count))).source;
    }
    return kNone;
  }
  AgentId pick(Context& ctx, const std::vector<AgentId>& v) {
    return v[ctx.rng().below(static_cast<std::uint32_t>(v.size()))];
  }

  // ---- population ----------------------------------------------------------------------------------------
  void build();
  void register_events();
  void schedule_calendar();

  // ---- handlers ------------------------------------------------------------------------------------------
  void on_budget_year(Context& ctx);
  void on_recognition_batch(Context& ctx);
  void on_evaluation_round(Context& ctx);
  void on_filing_round(Context& ctx);
  void on_claim(Context& ctx, const Event& e);
  void on_local_subsidy_round(Context& ctx);
  void on_host_considers_space(Context& ctx, const Event& e);
  void on_commission_rd(Context& ctx, const Event& e);
  void on_tech_offer(Context& ctx, const Event& e);
  void on_transfer_result(Context& ctx, const Event& e);
  void on_maker_acts(Context& ctx, const Event& e);
  void on_admitted(Context& ctx, const Event& e);
  void on_team_ended(Context& ctx);
  void on_open_space(Context& ctx, const Event& e);
  void on_apply_desk(Context& ctx, const Event& e);
  void on_month_accounts(Context& ctx);
  void close_space(Context& ctx, std::uint32_t k);
  void on_grant(Context& ctx, const Event& e);
  void on_team_start(Context& ctx, const Event& e);
  void on_join_team(Context& ctx, const Event& e);
  void schedule_team_step(Context& ctx, std::uint32_t k);
  void on_team_step(Context& ctx, const Event& e);
  void team_exit(Context& ctx, std::uint32_t k, bool graduated);
  void on_funded(Context& ctx, const Event& e);
  void on_pitch(Context& ctx, const Event& e);
  void on_coinvest_request(Context& ctx, const Event& e);
  void on_mentor_acts(Context& ctx, const Event& e);

  // Rates (per year) at time t, and their bounds over the run.
  double host_rate(AgentId host, double t, bool bound) const;
  double maker_rate(std::uint32_t k, double t, bool bound) const;
  double mentor_join_rate(double t, bool bound) const {
    const double services =
        bound ? smax(LeverId::ScienceServicesIntoParks, t) : s(LeverId::ScienceServicesIntoParks, t);
    const double pub = bound ? smax(LeverId::Publicity, t) : s(LeverId::Publicity, t);
    return p.a.mentor_join * (1 + p.a.effect_services * services) * (1 + p.a.effect_publicity * pub);
  }

  struct TeamRates {
    double reg, pitch, fail, grad;
    double total() const { return reg + pitch + fail + grad; }
  };
  TeamRates team_rates(const Context& ctx, std::uint32_t k) const;
  /// Bound of a university's transfer hazard from t until the next scale change.
  double transfer_bound(std::uint32_t u, double t) const {
    return p.a.transfer_rate / 5.0 * (1 + p.a.effect_transfer_share * (share_max() - 0.2)) * (univs.results[u] + 1) *
           (1 + p.a.effect_lanbai_disposal * smax(LeverId::LanbaiAutonomousDisposal, t));
  }

  Outcome record_run();
  void capture(Outcome& o, double t);
  /// The model's state beside the engine's: what handlers change (agents, levers' use, the team totals) and the
  /// recorder's outcome so far. What setup fixes (lists by city and industry, the calendar) is rebuilt by it.
  template <class Codec>
  void model_fields(Codec& c, Outcome& o) {
    save_or_restore_agents(c);
    c.vec(team_version), c.vec(mentor_version), c.vec(lever_granted), c.vec(lever_spent), c.vec(lever_funded_year);
    c.vec(lever_funded_rate), c.vec(city_budget), c.pod(team_totals), c.vec(market_teams), c.pod(market_sorted);
    outcome_so_far(c, o);
  }
  AgentArrays agent_arrays() { return {gov, cities, zones, univs, ents, makers, invs, mentors, spaces, teams}; }
  void save_or_restore_agents(sim::StateWriter& c) { save_agents(c, agent_arrays()); }
  void save_or_restore_agents(sim::StateReader& c) { restore_agents(c, agent_arrays()); }
  static void outcome_so_far(sim::StateWriter& c, const Outcome& o) { c.bytes(encode(o)); }
  static void outcome_so_far(sim::StateReader& c, Outcome& o) { o = decode(c.bytes()); }
  /// Calls `visit(EdgeRecord)` for each relation kept as agents' attributes, not graph edges (employment,
  /// founding, membership, investment, lending, mentoring, collaboration, commissioning, industry chain, hosting,
  /// zone location: all but location, which makers and professionals walk): the one place that says how they map to
  /// edges, for the edge list and the counts. Part `part` of `parts` visits its share of the makers' relations,
  /// and the last part all the others too, so that the parts may run as tasks at once.
  template <class Visit>
  void for_each_attribute_edge(Visit&& visit, std::uint32_t part = 0, std::uint32_t parts = 1) const {
    constexpr double kLive = std::numeric_limits<double>::infinity();
    auto end_of = [](double t) { return std::isnan(t) ? kLive : t; };
    const auto maker_bound = [&](std::uint32_t q) {
      return static_cast<std::uint32_t>(std::uint64_t{n.makers} * q / parts);
    };
    for (std::uint32_t k = maker_bound(part); k < maker_bound(part + 1); ++k) {
      if (makers.employer[k] != kNone)
        visit(sim::EdgeRecord{maker_t[k], makers.employer[k], kEmployment, p.start, end_of(makers.employment_end[k])});
      if (!std::isnan(teams.founded_at[k]))
        visit(sim::EdgeRecord{maker_t[k], team_t[k], kFounding, teams.founded_at[k], kLive});
      for (const auto& j : teams.joiners[k]) visit(sim::EdgeRecord{j.maker, team_t[k], kFounding, j.at, kLive});
      if (teams.home[k] != kNone)
        visit(sim::EdgeRecord{team_t[k], teams.home[k], kMembership, teams.founded_at[k], end_of(teams.left_at[k])});
    }
    if (part + 1 < parts) return;
    for (std::uint32_t i = 0; i < invs.stakes.size(); ++i)
      for (const auto& st : invs.stakes[i])
        visit(sim::EdgeRecord{inv_t[i], st.team, st.loan ? kLending : kInvestment, st.at, kLive});
    for (std::uint32_t e = 0; e < ents.chain.size(); ++e)
      for (const Link& l : ents.chain[e]) visit(sim::EdgeRecord{ent_t[e], l.agent, kIndustryChain, l.at, kLive});
    // Hosting and zone location hold from a space's opening to its closing (a space never reopens).
    for (std::uint32_t k = 0; k < n.spaces; ++k) {
      if (std::isnan(spaces.opened_at[k])) continue;
      const sim::EdgeRecord hosting{space_t[k], spaces.host[k], kHosting, spaces.opened_at[k],
                                    end_of(spaces.closed_at[k])};
      visit(hosting);
      if (spaces.host_type[k] == static_cast<std::uint8_t>(HostType::DevelopmentZone)) {
        sim::EdgeRecord zone = hosting;
        zone.type = kZoneLocation;
        visit(zone);
      }
    }
    for (std::uint32_t e = 0; e < ents.commissioned.size(); ++e)
      for (const Link& l : ents.commissioned[e]) visit(sim::EdgeRecord{ent_t[e], l.agent, kCommissioning, l.at, kLive});
    for (std::uint32_t u = 0; u < univs.partners.size(); ++u)
      for (const Link& l : univs.partners[u]) visit(sim::EdgeRecord{l.agent, univ_t[u], kCollaboration, l.at, kLive});
    for (std::uint32_t i = 0; i < mentors.stints.size(); ++i)
      for (const auto& st : mentors.stints[i])
        visit(sim::EdgeRecord{mentor_t[i], st.space, kMentoring, st.from, st.to});
  }
};

// ============================================================================================================
// Population
// ============================================================================================================

void GansuModel::Impl::build() {
  const Assumptions& a = p.a;
  sim.reserve_agents(static_cast<std::uint32_t>(n.total()));
  gov_t = sim.add_agents("government", 1);
  city_t = sim.add_agents("city", n.cities);
  zone_t = sim.add_agents("development_zone", n.zones);
  univ_t = sim.add_agents("university_institute", n.universities + n.institutes);
  ent_t = sim.add_agents("enterprise", n.enterprises());
  maker_t = sim.add_agents("maker", n.makers);
  inv_t = sim.add_agents("investor", n.investors());
  mentor_t = sim.add_agents("mentor", n.mentors + n.commissioner_mentors);
  space_t = sim.add_agents("maker_space", n.spaces);
  team_t = sim.add_agents("startup_team", n.makers);
  sim::RandomStream rng = sim.setup_stream(0);
  sim::RandomStream mr = sim.setup_stream(1);
  const double t0 = p.start;

  gov.budget_left.assign(kLeverCount, 0);
  gov.paid.assign(kInstrumentCount, 0);
  gov.excellent.assign(n.spaces, 0);
  lever_granted.assign(kLeverCount, 0);
  lever_spent.assign(kLeverCount, 0);
  lever_funded_year.assign(kLeverCount, 0);
  lever_funded_rate.assign(kLeverCount, 0);
  for (const Lever& L : p.levers)
    if (L.enabled)
      for (const auto& c : L.scale.changes) scale_changes.push_back(c.day);
  std::sort(scale_changes.begin(), scale_changes.end());
  scale_changes.erase(std::unique(scale_changes.begin(), scale_changes.end()), scale_changes.end());
  cities.population.assign(kCityPopulation.begin(), kCityPopulation.end());
  cities.subsidy_paid.assign(kCityCount, 0);
  city_budget.assign(kCityCount, 0);

  // The enterprises' kinds and cities are laid out, not drawn.
  auto ent_kind = [&](std::uint32_t i) {
    return i < n.leading                          ? EnterpriseKind::Leading
           : i < n.leading + n.smes               ? EnterpriseKind::Sme
           : i < n.leading + n.smes + n.operators ? EnterpriseKind::Operator
                                                  : EnterpriseKind::Outside;
  };
  std::vector<std::uint8_t> ent_city(n.enterprises(), kLanzhou);  // outside organisations count as Lanzhou's
  {
    const auto lc = spread(n.leading, population_weights(2.0));
    const auto sc = spread(n.smes, population_weights(2.5));
    const auto oc = spread(n.operators, population_weights(3.0));
    std::copy(lc.begin(), lc.end(), ent_city.begin());
    std::copy(sc.begin(), sc.end(), ent_city.begin() + n.leading);
    std::copy(oc.begin(), oc.end(), ent_city.begin() + n.leading + n.smes);
    for (std::uint32_t i = 0; i < n.enterprises(); ++i) ents_by_city[ent_city[i]].push_back(ent_t[i]);
  }

  // Three tasks on disjoint data: the agents' storage and the team slots (in a fresh process, mostly first
  // touches of new memory) are made while the hosts and the makers are drawn. Each draws from its own stream,
  // so the draws are the same whichever runs first, and on any number of threads.
  // Teams: one slot per maker (its founder).
  auto make_team_slots = [&] {
    const std::uint32_t m = n.makers;
    auto& T = teams;
    for (auto* v : {&T.stage, &T.city, &T.industry, &T.origin, &T.legacy, &T.guaranteed, &T.mentored}) v->assign(m, 0);
    T.quality.assign(m, 0);
    T.space.assign(m, kNone);
    T.guarantor.assign(m, kNone);
    T.members_new.assign(m, 0);
    T.size.assign(m, 0);
    T.jobs.assign(m, 0);
    for (auto* v : {&T.founded_at, &T.ended_at}) v->assign(m, kNaN);
    for (auto* v : {&T.public_money, &T.private_money, &T.loan, &T.market_money}) v->assign(m, 0.0);
    T.joiners.assign(m, {});
    T.home.assign(m, kNone);
    T.left_at.assign(m, kNaN);
    team_version.assign(m, 0);
  };
  auto draw_hosts = [&] {
    // Spaces: one slot per possible host, in host order; filled as hosts are made.
    auto resize_spaces = [&](std::size_t m) {
      auto& S = spaces;
      S.host.assign(m, kNone);
      S.zone.assign(m, kNone);
      for (auto* v : {&S.host_type, &S.city, &S.industry, &S.status, &S.recognised, &S.filed, &S.grade, &S.report_due,
                      &S.applied, &S.idle_plant, &S.initial})
        v->assign(m, 0);
      S.desks.assign(m, 0);
      for (auto* v : {&S.cash, &S.income, &S.costs, &S.host_money, &S.commission_money, &S.tax_relief})
        v->assign(m, 0.0);
      S.opened_at.assign(m, kNaN);
      S.closed_at.assign(m, kNaN);
      S.residents.assign(m, {});
      S.mentors.assign(m, {});
      S.admitted.assign(m, 0);
      S.graduated.assign(m, 0);
      S.commissions.assign(m, 0);
    };
    resize_spaces(n.spaces);
    std::uint32_t next_space = 0;
    auto own_space = [&](AgentId host, HostType type, std::uint8_t city, std::uint8_t industry) {
      const std::uint32_t k = next_space++;
      spaces.host[k] = host;
      spaces.host_type[k] = static_cast<std::uint8_t>(type);
      spaces.city[k] = city;
      spaces.industry[k] = industry;
      return space_t.first + k;
    };

    // Zones: the 2018 catalogue's 66 (data/gansu_initial.csv) plus Lanzhou New Area.
    zones.city.resize(n.zones);
    zones.national.assign(n.zones, 0);
    zones.lanbai.assign(n.zones, 0);
    zones.pilot.assign(n.zones, 0);
    zones.space.assign(n.zones, kNone);
    {
      const std::uint8_t national_cities[] = {kLanzhou,       kBaiyin,        kLanzhou,      12 /*Jinchang*/,
                                              1 /*Tianshui*/, 10 /*Jiuquan*/, 9 /*Zhangye*/, kLanzhou /*customs*/};
      std::uint32_t z = 0;
      for (std::uint8_t c : national_cities) zones.city[z] = c, zones.national[z] = 1, ++z;
      const auto rest = spread(n.zones - 9, population_weights(1.0));
      for (std::uint8_t c : rest) zones.city[z++] = c;
      zones.city[z] = kLanzhou, zones.national[z] = 1, zones.pilot[z] = 1;  // Lanzhou New Area
      for (std::uint32_t i = 0; i < n.zones; ++i) {
        zones.lanbai[i] = in_lanbai(zones.city[i]);
        if (i < 2 || zones.lanbai[i]) zones.pilot[i] = 1;  // the two high-tech zones and the Lanbai zone pilot first
        zones.space[i] = own_space(zone_t[i], HostType::DevelopmentZone, zones.city[i],
                                   static_cast<std::uint8_t>(rng.below(kIndustryCount)));
      }
    }

    // Universities (about 49 in 2016; Lanzhou holds most) and institutes (80 of them in Lanzhou, read).
    {
      const std::uint32_t m = n.universities + n.institutes;
      univs.city.resize(m);
      univs.institute.assign(m, 0);
      univs.lanbai.assign(m, 0);
      univs.research_staff.assign(m, 0);
      univs.results.assign(m, 0);
      univs.transfers.assign(m, 0);
      univs.space.assign(m, kNone);
      univs.partners.assign(m, {});
      const auto uc = spread(n.universities, population_weights(6.0));
      const std::uint32_t lanzhou_inst = std::min<std::uint32_t>(80, n.institutes);
      const auto ic = spread(n.institutes - lanzhou_inst, population_weights(0.0 + 1e-9));
      for (std::uint32_t i = 0; i < m; ++i) {
        const bool inst = i >= n.universities;
        univs.institute[i] = inst;
        univs.city[i] =
            !inst ? uc[i] : (i - n.universities < lanzhou_inst ? kLanzhou : ic[i - n.universities - lanzhou_inst]);
        univs.lanbai[i] = in_lanbai(univs.city[i]);
        univs.research_staff[i] = static_cast<float>(inst ? 50 + rng.exponential(150) : 300 + rng.exponential(900));
        univs.results[i] = univs.research_staff[i] / 100.0f;
        univs.space[i] = own_space(univ_t[i], HostType::UniversityInstitute, univs.city[i],
                                   static_cast<std::uint8_t>(rng.below(kIndustryCount)));
      }
    }

    // Enterprises: leading, innovative SMEs, space operators, outside organisations.
    {
      const std::uint32_t m = n.enterprises();
      auto& E = ents;
      for (auto* v : {&E.kind, &E.city, &E.industry, &E.soe, &E.idle_plant}) v->assign(m, 0);
      E.rd_intensity.assign(m, 0);
      E.digitalisation.assign(m, 0);
      E.adopted.assign(m, 0);
      E.commissions.assign(m, 0);
      E.space.assign(m, kNone);
      E.commissioned.assign(m, {});
      E.chain.assign(m, {});
      for (std::uint32_t i = 0; i < m; ++i) {
        const EnterpriseKind kind = ent_kind(i);
        const std::uint8_t city = ent_city[i];
        E.kind[i] = static_cast<std::uint8_t>(kind);
        E.city[i] = city;
        // Traditional industries dominate leading firms; emerging ones dominate SMEs (assumption).
        const bool traditional = rng.bernoulli(kind == EnterpriseKind::Leading ? 0.55 : 0.3);
        E.industry[i] = static_cast<std::uint8_t>(traditional ? rng.below(kTraditionalIndustries)
                                                              : kTraditionalIndustries +
                                                                    rng.below(kIndustryCount - kTraditionalIndustries));
        E.soe[i] = kind == EnterpriseKind::Leading && rng.bernoulli(0.5);
        E.idle_plant[i] = kind == EnterpriseKind::Leading && traditional && rng.bernoulli(0.4);
        E.rd_intensity[i] = static_cast<float>(0.005 + rng.exponential(0.01));
        E.digitalisation[i] = static_cast<float>(rng.uniform() * 0.3);
        ents_by_industry[E.industry[i]].push_back(ent_t[i]);
        if (kind != EnterpriseKind::Sme) {
          const HostType ht = kind == EnterpriseKind::Leading    ? HostType::LeadingEnterprise
                              : kind == EnterpriseKind::Operator ? HostType::Market
                                                                 : HostType::Outside;
          E.space[i] = own_space(ent_t[i], ht, city, E.industry[i]);
          spaces.idle_plant[E.space[i] - space_t.first] = E.idle_plant[i];
        }
      }
      // Industry chains: each SME supplies a leading enterprise of its industry.
      std::array<std::vector<AgentId>, kIndustryCount> leaders_by_industry;
      for (std::size_t ind = 0; ind < kIndustryCount; ++ind)
        for (AgentId e : ents_by_industry[ind])
          if (e - ent_t.first < n.leading) leaders_by_industry[ind].push_back(e);
      for (std::uint32_t i = n.leading; i < n.leading + n.smes; ++i) {
        const auto& leaders = leaders_by_industry[E.industry[i]];
        if (!leaders.empty())
          E.chain[i].push_back({leaders[rng.below(static_cast<std::uint32_t>(leaders.size()))], t0});
      }
      // Collaboration: each leading enterprise works with a university or institute of its city (or Lanzhou's).
      for (std::uint32_t i = 0; i < n.leading; ++i) {
        std::vector<std::uint32_t> local;
        for (std::uint32_t u = 0; u < univs.city.size(); ++u)
          if (univs.city[u] == E.city[i]) local.push_back(u);
        if (local.empty())
          for (std::uint32_t u = 0; u < univs.city.size(); ++u)
            if (univs.city[u] == kLanzhou) local.push_back(u);
        univs.partners[local[rng.below(static_cast<std::uint32_t>(local.size()))]].push_back({ent_t[i], t0});
      }
    }

    // Investors.
    {
      const std::uint32_t m = n.investors();
      invs.kind.resize(m);
      invs.city.assign(m, kLanzhou);
      for (auto* v : {&invs.capital, &invs.invested, &invs.losses, &invs.compensated}) v->assign(m, 0.0);
      invs.deals.assign(m, 0);
      invs.stakes.assign(m, {});
      const std::pair<InvestorKind, std::uint32_t> blocks[] = {
          {InvestorKind::Angel, n.angels}, {InvestorKind::VentureFund, n.vc_funds},
          {InvestorKind::GuidanceFund, 3}, {InvestorKind::ZoneAngelFund, 2},
          {InvestorKind::Bank, n.banks},   {InvestorKind::GuaranteeFirm, n.guarantee_firms}};
      const auto angel_cities = spread(n.angels, population_weights(4.0));
      std::uint32_t i = 0;
      for (auto [kind, cnt] : blocks) {
        for (std::uint32_t j = 0; j < cnt; ++j, ++i) {
          invs.kind[i] = static_cast<std::uint8_t>(kind);
          invs_by_kind[static_cast<std::size_t>(kind)].push_back(inv_t[i]);
          switch (kind) {
            case InvestorKind::Angel:
              invs.city[i] = angel_cities[j];
              invs.capital[i] = 1 + rng.exponential(2.0);
              angels_by_city[invs.city[i]].push_back(inv_t[i]);
              break;
            case InvestorKind::VentureFund:
              invs.capital[i] = 30 + rng.exponential(50);
              break;
            case InvestorKind::Bank:
              invs.capital[i] = 50 + rng.exponential(100);
              break;
            case InvestorKind::GuaranteeFirm:
              invs.capital[i] = 10 + rng.exponential(20);
              break;
            case InvestorKind::ZoneAngelFund:
              invs.city[i] = j == 0 ? kLanzhou : kBaiyin;
              break;
            case InvestorKind::GuidanceFund:
              break;  // capital comes from the budget, yearly
          }
        }
      }
      const auto& gf = invs_by_kind[static_cast<std::size_t>(InvestorKind::GuidanceFund)];
      venture_fund = gf[0], industry_fund = gf[1], lanbai_fund = gf[2];
      const auto& zf = invs_by_kind[static_cast<std::size_t>(InvestorKind::ZoneAngelFund)];
      zone_fund_lanzhou = zf[0], zone_fund_baiyin = zf[1];
    }

    // Mentors and service professionals; S&T commissioners who may mentor come last.
    {
      const std::uint32_t m = n.mentors + n.commissioner_mentors;
      mentors.kind.resize(m);
      mentors.commissioner.assign(m, 0);
      mentors.space.assign(m, kNone);
      mentors.stints.assign(m, {});
      mentor_version.assign(m, 0);
      const auto mc = spread(m, population_weights(3.0));
      mentors.city = mc;
      for (std::uint32_t i = 0; i < m; ++i) {
        const double u = rng.uniform();
        mentors.kind[i] = static_cast<std::uint8_t>(u < 0.5    ? MentorKind::Mentor
                                                    : u < 0.65 ? MentorKind::BusinessPlanner
                                                    : u < 0.85 ? MentorKind::Consultant
                                                               : MentorKind::IndustrialDesigner);
        if (i >= n.mentors)
          mentors.commissioner[i] = 1, mentors.kind[i] = static_cast<std::uint8_t>(MentorKind::Mentor);
      }
    }
  };
  // Makers: would-be founders by origin, spread like the population (Lanzhou weighted for students and researchers).
  // Their own stream; of the hosts they need only the enterprises' cities, which are laid out, not drawn.
  auto draw_makers = [&] {
    const std::uint32_t m = n.makers;
    makers.origin.resize(m);
    makers.city.resize(m);
    makers.state.assign(m, static_cast<std::uint8_t>(MakerState::Idle));
    makers.skill.resize(m);
    makers.employer.assign(m, kNone);
    makers.employment_end.assign(m, kNaN);
    makers.returned_to_post.assign(m, 0);
    const double shares[kOriginCount] = {a.share_staff, a.share_researcher, a.share_commissioner, a.share_student,
                                         a.share_outside};
    const auto city = spread(m, population_weights(3.0));
    for (std::uint32_t i = 0; i < m; ++i) {
      double u = mr.uniform();
      std::uint8_t o = 0;
      while (o + 1u < kOriginCount && u >= shares[o]) u -= shares[o++];
      makers.origin[i] = o;
      makers.city[i] = static_cast<MakerOrigin>(o) == MakerOrigin::Outside ? kLanzhou : city[i];
      makers.skill[i] = static_cast<float>(mr.uniform());
      if (static_cast<MakerOrigin>(o) == MakerOrigin::EnterpriseStaff) {
        const auto& local = ents_by_city[makers.city[i]];
        if (!local.empty()) makers.employer[i] = local[mr.below(static_cast<std::uint32_t>(local.size()))];
      } else if (static_cast<MakerOrigin>(o) == MakerOrigin::Researcher) {
        makers.employer[i] = univ_t[mr.below(n.universities + n.institutes)];
      }
    }
  };
  sim.concurrently({draw_makers,
                    [&] {
                      sim.allocate_agents();
                      make_team_slots();
                    },
                    draw_hosts});
  auto& g = sim.graph();
  g.keep_history(p.snapshots);  // the ended edges are output only with --snapshots

  // The spaces of early 2016: 61 recognised in 2015 (read) and some unrecognised, with teams and mentors.
  {
    sim::RandomStream ir = sim.setup_stream(2);
    std::vector<std::uint32_t> initial;
    auto take = [&](HostType type, std::uint32_t cnt) {
      std::vector<std::uint32_t> cand;
      for (std::uint32_t k = 0; k < n.spaces; ++k)
        if (spaces.host_type[k] == static_cast<std::uint8_t>(type) && !spaces.initial[k]) cand.push_back(k);
      // Zones and universities with a space were mostly the big ones: take Lanbai first, then at random.
      for (std::uint32_t j = 0; j < cnt && !cand.empty(); ++j) {
        const std::uint32_t pick_at = ir.below(static_cast<std::uint32_t>(cand.size()));
        spaces.initial[cand[pick_at]] = 1;
        initial.push_back(cand[pick_at]);
        cand.erase(cand.begin() + pick_at);
      }
    };
    take(HostType::LeadingEnterprise, n.initial_enterprise);
    take(HostType::UniversityInstitute, n.initial_university);
    take(HostType::DevelopmentZone, n.initial_zone);
    take(HostType::Market, n.initial_market);
    std::vector<std::uint32_t> free_makers(n.makers);
    std::iota(free_makers.begin(), free_makers.end(), 0u);
    std::vector<std::uint32_t> free_mentors;
    for (std::uint32_t i = 0; i < n.mentors; ++i) free_mentors.push_back(i);
    for (std::size_t j = 0; j < initial.size(); ++j) {
      const std::uint32_t k = initial[j];
      const AgentId space = space_t[k];
      spaces.status[k] = static_cast<std::uint8_t>(SpaceStatus::Running);
      spaces.recognised[k] = j < initial.size() - n.initial_unrecognised;
      spaces.opened_at[k] = t0 - ir.uniform() * 2 * kYear;
      spaces.desks[k] = static_cast<std::uint16_t>(std::max(8.0, a.desks_mean * (0.5 + ir.uniform())));
      spaces.cash[k] = a.monthly_cost * a.start_cash_months * (0.3 + 0.7 * ir.uniform());
      g.add_edge(space, city_id(spaces.city[k]), kLocation, spaces.opened_at[k]);
      if (spaces.recognised[k]) gov.recognised.push_back(space);
      // Resident teams founded before the start: they fill desks but are not new entrepreneurs (T6).
      const auto residents = static_cast<std::uint32_t>(spaces.desks[k] * (0.3 + 0.3 * ir.uniform()));
      for (std::uint32_t r = 0; r < residents && !free_makers.empty(); ++r) {
        const std::uint32_t at = ir.below(static_cast<std::uint32_t>(free_makers.size()));
        const std::uint32_t mk = free_makers[at];
        free_makers[at] = free_makers.back();
        free_makers.pop_back();
        makers.state[mk] = static_cast<std::uint8_t>(MakerState::Founder);
        teams.stage[mk] = static_cast<std::uint8_t>(ir.bernoulli(0.5) ? TeamStage::Registered : TeamStage::Team);
        teams.legacy[mk] = 1;
        teams.space[mk] = space;
        teams.city[mk] = spaces.city[k];
        teams.industry[mk] = spaces.industry[k];
        teams.origin[mk] = makers.origin[mk];
        teams.quality[mk] = makers.skill[mk];
        teams.size[mk] = 1;
        teams.founded_at[mk] = t0 - ir.uniform() * kYear;
        spaces.residents[k].push_back(team_t[mk]);
        teams.home[mk] = space;
      }
      const auto serving = static_cast<std::uint32_t>(std::llround(a.mentors_per_space * (0.5 + ir.uniform())));
      for (std::uint32_t r = 0; r < serving && !free_mentors.empty(); ++r) {
        const std::uint32_t at = ir.below(static_cast<std::uint32_t>(free_mentors.size()));
        const std::uint32_t me = free_mentors[at];
        free_mentors[at] = free_mentors.back();
        free_mentors.pop_back();
        mentors.join(me, space, spaces.opened_at[k]);
        spaces.mentors[k].push_back(mentor_t[me]);
      }
      for (AgentId team : spaces.residents[k]) teams.mentored[team - team_t.first] = !spaces.mentors[k].empty();
    }
  }
  // The team totals at the start (legacy teams are none of them, but counted the way a scan would).
  for (std::uint32_t k = 0; k < n.makers; ++k) {
    const auto stage = static_cast<TeamStage>(teams.stage[k]);
    if (stage == TeamStage::Inactive) continue;
    team_totals[Entrepreneurs] += teams.members_new[k];
    team_totals[Graduated] += stage == TeamStage::Graduated;
    team_totals[Failed] += stage == TeamStage::Failed;
    if (teams.market_money[k] != 0) market_teams.push_back(k);
    if (teams.legacy[k] || std::isnan(teams.founded_at[k])) continue;
    team_totals[Founded] += 1;
    team_totals[Jobs] += teams.jobs[k];
    team_totals[Funded] += has_funding(k);
  }
}

void GansuModel::Impl::add_up(const sim::Record& r) {
  if (r.kind == MarketMoney) market_teams.push_back(r.agent - team_t.first);
}

void GansuModel::Impl::add_up(std::span<const std::int64_t> window_sums) {
  for (std::uint16_t c = Entrepreneurs; c <= kTallied; ++c)
    team_totals[c] += static_cast<double>(window_sums[tally_id[c]]);
}

double GansuModel::Impl::host_rate(AgentId host, double t, bool bound) const {
  const Assumptions& a = p.a;
  auto st = [&](LeverId id) { return bound ? smax(id, t) : s(id, t); };
  const double construction = 1 + a.effect_construction * st(LeverId::SpaceConstructionSupport);
  const double pub = 1 + a.effect_publicity * st(LeverId::Publicity);
  if (zone_t.contains(host)) {
    const std::uint32_t z = host - zone_t.first;
    const double g = bound ? guidance_max(zones.city[z], t) : guidance(zones.city[z], t);
    return a.open_zone * construction *
           (zones.pilot[z] ? 1 + a.effect_pilots * st(LeverId::DemonstrationPilots) : 1.0) * g;
  }
  if (univ_t.contains(host)) {
    const std::uint32_t u = host - univ_t.first;
    const double g = bound ? guidance_max(univs.city[u], t) : guidance(univs.city[u], t);
    const double share = bound ? share_max() : share_eff(t);
    const double lanbai = univs.lanbai[u] && univs.institute[u]
                              ? 1 + a.effect_lanbai_disposal * st(LeverId::LanbaiAutonomousDisposal)
                              : 1.0;
    return a.open_university * construction * (1 + 0.25 * a.effect_transfer_share * (share - 0.2)) * lanbai * g;
  }
  const std::uint32_t e = host - ent_t.first;
  const double g = bound ? guidance_max(ents.city[e], t) : guidance(ents.city[e], t);
  switch (static_cast<EnterpriseKind>(ents.kind[e])) {
    case EnterpriseKind::Leading:
      return a.open_enterprise * construction *
             (1 + a.effect_enterprise_deduction * st(LeverId::EnterpriseSpaceDeduction)) *
             (ents.soe[e] ? 1 + a.effect_soe * st(LeverId::SoeInnovationAssessment) : 1.0) *
             (ents.idle_plant[e] ? 1 + a.effect_idle_plant * st(LeverId::IdlePlantConversion) : 1.0) * g * pub;
    case EnterpriseKind::Operator:
      return a.open_market * construction * g * pub;
    case EnterpriseKind::Outside:
      return a.open_outside * construction * (1 + a.effect_outside * st(LeverId::OutsideCooperation));
    case EnterpriseKind::Sme:
      return 0;
  }
  return 0;
}

double GansuModel::Impl::maker_rate(std::uint32_t k, double t, bool bound) const {
  const Assumptions& a = p.a;
  auto st = [&](LeverId id) { return bound ? smax(id, t) : s(id, t); };
  const auto origin = static_cast<MakerOrigin>(makers.origin[k]);
  const double base[kOriginCount] = {a.entry_staff, a.entry_researcher, a.entry_commissioner, a.entry_student,
                                     a.entry_outside};
  double r = base[makers.origin[k]] * (1 + a.effect_publicity * st(LeverId::Publicity)) *
             (bound ? guidance_max(makers.city[k], t) : guidance(makers.city[k], t));
  const double comp = a.effect_competition * st(LeverId::CompetitionSupport);
  r *= origin == MakerOrigin::Outside ? 1 + 3 * comp : 1 + comp;
  if (origin == MakerOrigin::Researcher) {
    r *= 1 + a.effect_transfer_share * ((bound ? share_max() : share_eff(t)) - 0.2);
    r *= 1 + a.effect_post_kept * p.post_kept_years * st(LeverId::ResearcherPostKept);
  }
  return r;
}

// ============================================================================================================
// Events
// ============================================================================================================

void GansuModel::Impl::register_events() {
  static constexpr const char* kTallyNames[] = {"",        "entrepreneurs", "graduated", "failed",
                                                "founded", "jobs",          "funded"};
  for (std::uint16_t c = Entrepreneurs; c <= kTallied; ++c) tally_id[c] = sim.add_tally(kTallyNames[c]);
  auto on = [&](const char* name, auto fn) {
    return sim.add_event(name, [this, fn](Context& ctx, const Event& e) { (this->*fn)(ctx, e); });
  };
  auto on0 = [&](const char* name, auto fn) {
    return sim.add_event(name, [this, fn](Context& ctx, const Event&) { (this->*fn)(ctx); });
  };
  // Government.
  ev.budget_year = on0("budget_year", &Impl::on_budget_year);
  ev.recognition_batch = on0("recognition_batch", &Impl::on_recognition_batch);
  ev.evaluation_round = on0("evaluation_round", &Impl::on_evaluation_round);
  ev.filing_round = on0("filing_round", &Impl::on_filing_round);
  ev.recognition_application = sim.add_event(
      "recognition_application", [this](Context&, const Event& e) { gov.applicants.push_back(e.source()); });
  ev.annual_report = sim.add_event("annual_report", [this](Context&, const Event& e) {
    gov.reports.push_back({static_cast<double>(sim::payload_as<Pair>(e.payload).b), e.source()});
  });
  ev.claim = on("claim", &Impl::on_claim);
  ev.space_closed = sim.add_event("space_closed", [this](Context&, const Event& e) {
    auto& r = gov.recognised;
    r.erase(std::remove(r.begin(), r.end(), e.source()), r.end());
  });
  // Cities.
  ev.local_subsidy_round = on0("local_subsidy_round", &Impl::on_local_subsidy_round);
  // Hosts, enterprises, universities.
  ev.host_considers_space = on("host_considers_space", &Impl::on_host_considers_space);
  ev.commission_rd = on("commission_rd", &Impl::on_commission_rd);
  ev.tech_offer = on("tech_offer", &Impl::on_tech_offer);
  ev.transfer_result = on("transfer_result", &Impl::on_transfer_result);
  // Makers.
  ev.maker_acts = on("maker_acts", &Impl::on_maker_acts);
  ev.admitted = on("admitted", &Impl::on_admitted);
  ev.rejected = sim.add_event("rejected", [this](Context& ctx, const Event&) {
    const std::uint32_t k = ctx.self() - maker_t.first;
    makers.state[k] = static_cast<std::uint8_t>(MakerState::Idle);
    after_hazard(ctx, maker_rate(k, ctx.now(), true) * 2, ev.maker_acts);  // tries again, sooner
  });
  ev.team_ended = on0("team_ended", &Impl::on_team_ended);
  ev.post_expires = sim.add_event("post_expires", [this](Context& ctx, const Event&) {
    const std::uint32_t k = ctx.self() - maker_t.first;
    if (makers.employed(k) && makers.state[k] != static_cast<std::uint8_t>(MakerState::Done))
      makers.employment_end[k] = ctx.now();
  });
  // Spaces.
  ev.open_space = on("open_space", &Impl::on_open_space);
  ev.apply_desk = on("apply_desk", &Impl::on_apply_desk);
  ev.team_leaves = sim.add_event("team_leaves", [this](Context& ctx, const Event& e) {
    const std::uint32_t k = ctx.self() - space_t.first;
    auto& r = spaces.residents[k];
    const auto it = std::find(r.begin(), r.end(), e.source());
    if (it != r.end()) r.erase(it);
    if (sim::payload_as<Ids>(e.payload).a == 1) ++spaces.graduated[k];
  });
  ev.mentor_offer = sim.add_event("mentor_offer", [this](Context& ctx, const Event& e) {
    const std::uint32_t k = ctx.self() - space_t.first;
    const bool ok = spaces.status[k] == static_cast<std::uint8_t>(SpaceStatus::Running) &&
                    spaces.mentors[k].size() < static_cast<std::size_t>(p.a.mentor_cap);
    if (ok) spaces.mentors[k].push_back(e.source());
    ctx.schedule(e.source(), later(ctx), ok ? ev.mentor_accepted : ev.mentor_rejected);
  });
  ev.mentor_leaves = sim.add_event("mentor_leaves", [this](Context& ctx, const Event& e) {
    auto& m = spaces.mentors[ctx.self() - space_t.first];
    m.erase(std::remove(m.begin(), m.end(), e.source()), m.end());
  });
  ev.month_accounts = on0("month_accounts", &Impl::on_month_accounts);
  ev.grant = on("grant", &Impl::on_grant);
  ev.commission = sim.add_event("commission", [this](Context& ctx, const Event& e) {
    const std::uint32_t k = ctx.self() - space_t.first;
    if (spaces.status[k] != static_cast<std::uint8_t>(SpaceStatus::Running)) return;
    const double amount = sim::payload_as<Pair>(e.payload).b;
    spaces.cash[k] += amount;
    spaces.income[k] += amount;
    spaces.commission_money[k] += amount;
    ++spaces.commissions[k];
  });
  ev.recognised = sim.add_event("recognised", [this](Context& ctx, const Event& e) {
    const std::uint32_t k = ctx.self() - space_t.first;
    if (spaces.status[k] != static_cast<std::uint8_t>(SpaceStatus::Running)) {
      ctx.schedule(gov_id(), later(ctx), ev.space_closed);
      return;
    }
    spaces.recognised[k] = 1;
    const double grant = sim::payload_as<Pair>(e.payload).b;
    spaces.cash[k] += grant;
    spaces.income[k] += grant;
  });
  ev.graded = sim.add_event("graded", [this](Context& ctx, const Event& e) {
    const std::uint32_t k = ctx.self() - space_t.first;
    const auto pl = sim::payload_as<Pair>(e.payload);
    spaces.grade[k] = static_cast<std::uint8_t>(pl.a);
    if (static_cast<Grade>(pl.a) == Grade::Fail) spaces.recognised[k] = 0, spaces.filed[k] = 0;
    spaces.cash[k] += pl.b;
    spaces.income[k] += pl.b;
  });
  ev.filed = sim.add_event("filed", [this](Context& ctx, const Event&) {
    const std::uint32_t k = ctx.self() - space_t.first;
    if (spaces.status[k] == static_cast<std::uint8_t>(SpaceStatus::Running) && spaces.recognised[k])
      spaces.filed[k] = 1;
  });
  // Teams.
  ev.team_start = on("team_start", &Impl::on_team_start);
  ev.join_team = on("join_team", &Impl::on_join_team);
  ev.team_step = on("team_step", &Impl::on_team_step);
  ev.funded = on("funded", &Impl::on_funded);
  ev.evicted = sim.add_event("evicted", [this](Context& ctx, const Event&) {
    const std::uint32_t k = ctx.self() - team_t.first;
    const auto stage = static_cast<TeamStage>(teams.stage[k]);
    if (stage == TeamStage::Inactive || stage == TeamStage::Graduated || stage == TeamStage::Failed) return;
    teams.left_at[k] = ctx.now();
    teams.space[k] = kNone;
    if (ctx.rng().bernoulli(0.5)) team_exit(ctx, k, false);  // half of the evicted teams do not survive the move
  });
  // Investors.
  ev.pitch = on("pitch", &Impl::on_pitch);
  ev.coinvest_request = on("coinvest_request", &Impl::on_coinvest_request);
  ev.capital_topup = sim.add_event("capital_topup", [this](Context& ctx, const Event& e) {
    invs.capital[ctx.self() - inv_t.first] += sim::payload_as<Pair>(e.payload).b;
  });
  ev.guarantee_loss = sim.add_event("guarantee_loss", [this](Context& ctx, const Event& e) {
    const std::uint32_t k = ctx.self() - inv_t.first;
    const double loss = sim::payload_as<Pair>(e.payload).b * p.a.guarantee_default;
    invs.losses[k] += loss;
    invs.capital[k] -= loss;
    if (lever(LeverId::RiskCompensation).active(ctx.now()))
      ctx.schedule(gov_id(), later(ctx), ev.claim,
                   sim::make_payload(
                       Pair{static_cast<std::uint32_t>(Instrument::RiskCompensation), static_cast<float>(loss * 0.5)}));
  });
  // Mentors.
  ev.mentor_acts = on("mentor_acts", &Impl::on_mentor_acts);
  ev.mentor_accepted = sim.add_event("mentor_accepted", [this](Context& ctx, const Event& e) {
    const std::uint32_t k = ctx.self() - mentor_t.first;
    mentors.join(k, e.source(), ctx.now());
    if (lever(LeverId::ScienceServicesIntoParks).active(ctx.now()))
      ctx.schedule(gov_id(), later(ctx), ev.claim,
                   sim::make_payload(Pair{static_cast<std::uint32_t>(Instrument::ServicesSubsidy), 0.02f}));
    next_mentor_decision(ctx, p.a.mentor_leave);
  });
  ev.mentor_rejected = sim.add_event("mentor_rejected", [this](Context& ctx, const Event&) {
    next_mentor_decision(ctx, mentor_join_rate(ctx.now(), true));
  });
  ev.mentor_released = sim.add_event("mentor_released", [this](Context& ctx, const Event& e) {
    const std::uint32_t k = ctx.self() - mentor_t.first;
    if (mentors.space[k] != e.source()) return;
    mentors.leave(k, ctx.now());
    next_mentor_decision(ctx, mentor_join_rate(ctx.now(), true));
  });
}

void GansuModel::Impl::schedule_calendar() {
  const double t0 = p.start, t1 = p.end;
  const int y0 = year_of(t0), y1 = year_of(t1 - 1);
  auto day = [&](int y, unsigned m, unsigned d) { return calendar.to_time(std::chrono::year(y) / m / d); };
  auto at = [&](double t, AgentId who, EventType type) {
    if (t >= t0 && t < t1) sim.schedule(who, t, type);
  };
  at(t0, gov_id(), ev.budget_year);
  for (std::size_t l = 0; l < kLeverCount; ++l)
    if (p.levers[l].enabled && p.levers[l].start > t0) at(p.levers[l].start, gov_id(), ev.budget_year);
  // A schedule's changes of scale (which may switch a lever on) or of budget are funded on their day.
  for (const Lever& L : p.levers)
    if (L.enabled) {
      for (const auto& c : L.scale.changes) at(c.day, gov_id(), ev.budget_year);
      for (const auto& c : L.annual_budget.changes) at(c.day, gov_id(), ev.budget_year);
    }
  for (int y = y0; y <= y1; ++y) {
    if (y > y0) at(day(y, 1, 1), gov_id(), ev.budget_year);
    at(day(y, 4, 15), gov_id(), ev.evaluation_round);
    at(day(y, 9, 30), gov_id(), ev.filing_round);
    at(day(y, 11, 30), gov_id(), ev.recognition_batch);
    for (std::uint8_t c = 0; c < kCityCount; ++c)
      at(y == y0 ? t0 + 30 : day(y, 1, 15), city_id(c), ev.local_subsidy_round);
  }
  sim::RandomStream rng = sim.setup_stream(3);
  auto first = [&](AgentId who, double rate_max, EventType type) {
    if (rate_max <= 0) return;
    double when = t0 + rng.exponential(kYear / rate_max);
    const sim::Payload payload = candidate(t0, when, 0, rate_max);
    sim.schedule(who, when, type, payload);
  };
  for (std::uint32_t k = 0; k < n.spaces; ++k) {
    if (spaces.initial[k]) {
      sim.schedule(space_t[k], t0 + rng.uniform() * kMonth, ev.month_accounts);
    } else {
      first(spaces.host[k], host_rate(spaces.host[k], t0, true), ev.host_considers_space);
    }
  }
  for (std::uint32_t e = 0; e < ents.kind.size(); ++e) {
    const bool leading = ents.kind[e] == static_cast<std::uint8_t>(EnterpriseKind::Leading);
    const bool sme = ents.kind[e] == static_cast<std::uint8_t>(EnterpriseKind::Sme);
    if (leading || sme)
      first(ent_t[e],
            (leading ? p.a.commission_leading : p.a.commission_sme) *
                (1 + p.a.effect_super_deduction * smax(LeverId::RdSuperDeduction, t0)),
            ev.commission_rd);
  }
  for (std::uint32_t u = 0; u < univs.city.size(); ++u)
    first(univ_t[u],
          p.a.transfer_rate * univs.results[u] / 5.0 * (1 + p.a.effect_transfer_share * (share_max() - 0.2)) *
              (1 + p.a.effect_lanbai_disposal * smax(LeverId::LanbaiAutonomousDisposal, t0)),
          ev.transfer_result);
  // The makers' first acts, in chunks at once: each idle maker with a positive rate draws one exponential, so
  // a chunk's stream stands where the serial loop's would (RandomStream::ahead), and the events are then
  // scheduled in maker order: the same draws and ties as one loop. The rates are worked out in the same chunks.
  {
    std::vector<double> rate(n.makers, 0.0), when(n.makers, 0.0);
    const std::uint32_t chunks = thread_parts();
    std::vector<std::uint32_t> bound(chunks + 1);
    for (std::uint32_t c = 0; c <= chunks; ++c)
      bound[c] = static_cast<std::uint32_t>(std::uint64_t{n.makers} * c / chunks);
    // A counter a cache line: a chunk's stream writes its counter every other draw, and two on one line made
    // the chunks on two threads slower than one loop on one (the line went back and forth).
    struct alignas(64) Counter {
      std::uint64_t value = 0;
    };
    std::vector<Counter> counters(chunks);
    std::vector<std::uint64_t> draws_before(chunks + 1, 0);  // per chunk its drawing makers, then their prefix sums
    in_parts(chunks, [&](std::uint32_t c) {
      std::uint64_t drawing = 0;
      for (std::uint32_t k = bound[c]; k < bound[c + 1]; ++k)
        if (makers.state[k] == static_cast<std::uint8_t>(MakerState::Idle)) {
          rate[k] = maker_rate(k, t0, true);
          drawing += rate[k] > 0;
        }
      draws_before[c + 1] = drawing;
    });
    std::partial_sum(draws_before.begin(), draws_before.end(), draws_before.begin());
    in_parts(chunks, [&](std::uint32_t c) {
      sim::RandomStream r = rng.ahead(draws_before[c], &counters[c].value);
      for (std::uint32_t k = bound[c]; k < bound[c + 1]; ++k)
        if (rate[k] > 0) when[k] = t0 + r.exponential(kYear / rate[k]);
    });
    rng.skip(draws_before[chunks]);
    for (std::uint32_t k = 0; k < n.makers; ++k)
      if (rate[k] > 0) {
        const sim::Payload payload = candidate(t0, when[k], 0, rate[k]);
        sim.schedule(maker_t[k], when[k], ev.maker_acts, payload);
      }
  }
  const double mentor_max = mentor_join_rate(t0, true);
  for (std::uint32_t k = 0; k < mentors.kind.size(); ++k) {
    const bool serving = mentors.space[k] != kNone;
    if (mentors.commissioner[k] && !lever(LeverId::CommissionersAsMentors).enabled) continue;
    first(mentor_t[k], serving ? p.a.mentor_leave : mentor_max, ev.mentor_acts);
  }
  for (std::uint32_t k = 0; k < n.makers; ++k) {
    if (!teams.legacy[k]) continue;
    const double rate = 3.0;  // a legacy team's first step comes soon; its real rates apply from then
    sim.schedule(team_t[k], t0 + rng.exponential(kYear / rate), ev.team_step, sim::make_payload(Ids{0, 0}));
  }
}

void GansuModel::Impl::on_budget_year(Context& ctx) {
  const double t = ctx.now();
  const int y = year_of(t);
  const double year_end = calendar.to_time(std::chrono::year(y + 1) / 1 / 1);
  const double fraction = std::min(1.0, (year_end - t) / kYear);
  for (std::size_t l = 0; l < kLeverCount; ++l) {
    const Lever& L = p.levers[l];
    if (!L.active(t)) continue;
    const double rate = L.annual_budget.at(t);
    const auto id = static_cast<LeverId>(l);
    const bool fund = id == LeverId::VentureGuidanceFund || id == LeverId::IndustryGuidanceFund ||
                      id == LeverId::LanbaiInnovationFund || id == LeverId::ZoneAngelFunds;
    double budget = 0;
    if (lever_funded_year[l] == y) {
      // A budget schedule changed within the year: the rest of the year follows the new rate. A fund keeps the
      // capital it was given; a budget the government holds shrinks by the cut, down to what is left unclaimed.
      if (rate == lever_funded_rate[l]) continue;
      budget = (rate - lever_funded_rate[l]) * fraction;
      lever_funded_rate[l] = rate;
      if (budget < 0) {
        if (!fund) {
          const double cut = std::min(-budget, gov.budget_left[l]);
          gov.budget_left[l] -= cut;
          lever_granted[l] -= cut;
        }
        continue;
      }
    } else {
      if (!fund) gov.budget_left[l] = 0;  // last year's unclaimed budget lapses
      if (rate <= 0) continue;
      lever_funded_year[l] = y;
      lever_funded_rate[l] = rate;
      budget = rate * fraction;
    }
    lever_granted[l] += budget;
    // Funds receive their year's budget as capital; the other budgets stay with the government until claimed.
    auto topup = [&](AgentId fund_id, double amount) {
      lever_spent[l] += amount;
      ctx.schedule(fund_id, later(ctx), ev.capital_topup, sim::make_payload(Pair{0, static_cast<float>(amount)}));
    };
    if (id == LeverId::VentureGuidanceFund)
      topup(venture_fund, budget);
    else if (id == LeverId::IndustryGuidanceFund)
      topup(industry_fund, budget);
    else if (id == LeverId::LanbaiInnovationFund)
      topup(lanbai_fund, budget);
    else if (id == LeverId::ZoneAngelFunds)
      topup(zone_fund_lanzhou, budget * 0.6), topup(zone_fund_baiyin, budget * 0.4);
    else
      gov.budget_left[l] += budget;
  }
}

namespace {
LeverId lever_of(Instrument i) {
  switch (i) {
    case Instrument::ConstructionGrant:
      return LeverId::SpaceConstructionSupport;
    case Instrument::LocalSubsidy:
      return LeverId::LocalFacilitySubsidy;
    case Instrument::CompetitionPrize:
      return LeverId::CompetitionSupport;
    case Instrument::LeadingEnterpriseAward:
      return LeverId::LeadingEnterpriseAward;
    case Instrument::ServicesSubsidy:
      return LeverId::ScienceServicesIntoParks;
    case Instrument::RiskCompensation:
      return LeverId::RiskCompensation;
    default:
      return LeverId::Count;
  }
}
}  // namespace

void GansuModel::Impl::on_claim(Context& ctx, const Event& e) {
  const auto pl = sim::payload_as<Pair>(e.payload);
  const auto instrument = static_cast<Instrument>(pl.a);
  const LeverId id = lever_of(instrument);
  if (id == LeverId::Count) return;
  const auto l = static_cast<std::size_t>(id);
  const double amount = pl.b;
  if (!p.levers[l].active(ctx.now()) || gov.budget_left[l] < amount) return;  // never overspent
  gov.budget_left[l] -= amount;
  lever_spent[l] += amount;
  gov.paid[pl.a] += amount;
  ctx.schedule(e.source(), later(ctx), ev.grant, e.payload);
}

void GansuModel::Impl::on_recognition_batch(Context& ctx) {
  auto& apps = gov.applicants;
  std::sort(apps.begin(), apps.end());
  apps.erase(std::unique(apps.begin(), apps.end()), apps.end());
  const double approval =
      std::min(1.0, p.a.recognition_approval * (1 + p.a.effect_conference * s(LeverId::JointConference, ctx.now())));
  const auto l = static_cast<std::size_t>(LeverId::SpaceConstructionSupport);
  for (AgentId space : apps) {
    if (std::find(gov.recognised.begin(), gov.recognised.end(), space) != gov.recognised.end()) continue;
    if (!ctx.rng().bernoulli(approval)) continue;
    double grant = 0;
    if (p.levers[l].active(ctx.now()) && gov.budget_left[l] >= p.a.recognition_grant) {
      grant = p.a.recognition_grant;
      gov.budget_left[l] -= grant;
      lever_spent[l] += grant;
      gov.paid[static_cast<std::size_t>(Instrument::ConstructionGrant)] += grant;
    }
    gov.recognised.push_back(space);
    ++gov.recognitions;
    ctx.schedule(space, later(ctx), ev.recognised, sim::make_payload(Pair{0, static_cast<float>(grant)}));
  }
  apps.clear();
}

void GansuModel::Impl::on_evaluation_round(Context& ctx) {
  auto& reps = gov.reports;
  // Without the joint conference's monitoring (POLICY §4.1) nobody grades spaces: no awards, no delisting.
  if (!lever(LeverId::JointConference).active(ctx.now()) || reps.empty()) {
    reps.clear();
    return;
  }
  std::sort(reps.begin(), reps.end(), [](const auto& x, const auto& y) {
    return x.first > y.first || (x.first == y.first && x.second < y.second);
  });
  const auto m = reps.size();
  const auto excellent = static_cast<std::size_t>(std::ceil(m * p.a.excellent_share));
  const auto failing = static_cast<std::size_t>(std::floor(m * p.a.fail_share));
  const auto award_lever = static_cast<std::size_t>(LeverId::LeadingEnterpriseAward);
  for (std::size_t i = 0; i < m; ++i) {
    const AgentId space = reps[i].second;
    const std::uint32_t k = space - space_t.first;
    Grade grade = i < excellent      ? Grade::Excellent
                  : i >= m - failing ? Grade::Fail
                  : i < m / 2        ? Grade::Good
                                     : Grade::Pass;
    double award = 0;
    if (grade == Grade::Excellent) {
      gov.excellent[k] = 1;
      // Awards only for spaces founded by leading enterprises (POLICY §3.5); host type is a fixed attribute.
      if (spaces.host_type[k] == static_cast<std::uint8_t>(HostType::LeadingEnterprise) &&
          p.levers[award_lever].active(ctx.now()) && gov.budget_left[award_lever] >= p.a.award_amount) {
        award = p.a.award_amount;
        gov.budget_left[award_lever] -= award;
        lever_spent[award_lever] += award;
        gov.paid[static_cast<std::size_t>(Instrument::LeadingEnterpriseAward)] += award;
        ++gov.awards;
      }
    }
    if (grade == Grade::Fail) {
      auto& r = gov.recognised;
      r.erase(std::remove(r.begin(), r.end(), space), r.end());
      ++gov.delistings;
    }
    ++gov.evaluations;
    ctx.schedule(space, later(ctx), ev.graded,
                 sim::make_payload(Pair{static_cast<std::uint32_t>(grade), static_cast<float>(award)}));
  }
  reps.clear();
}

void GansuModel::Impl::on_filing_round(Context& ctx) {
  // The S&T department recommends its best recognised spaces for national filing, excellent ones first.
  std::vector<AgentId> candidates(gov.recognised);
  std::sort(candidates.begin(), candidates.end(), [&](AgentId x, AgentId y) {
    const auto ex = gov.excellent[x - space_t.first], ey = gov.excellent[y - space_t.first];
    return ex != ey ? ex > ey : x < y;
  });
  std::uint32_t quota = count(p.a.filing_quota);
  for (AgentId space : candidates) {
    if (quota == 0) break;
    if (gov.excellent[space - space_t.first] == 2) continue;  // already filed
    if (!ctx.rng().bernoulli(0.6)) continue;
    gov.excellent[space - space_t.first] = 2;
    ++gov.filings;
    --quota;
    ctx.schedule(space, later(ctx), ev.filed);
  }
}

void GansuModel::Impl::on_local_subsidy_round(Context& ctx) {
  const std::uint8_t c = static_cast<std::uint8_t>(ctx.self() - city_t.first);
  const Lever& L = lever(LeverId::LocalFacilitySubsidy);
  if (!L.active(ctx.now()) || !p.city_local_subsidy[c]) return;
  const double share = kCityPopulation[c] / std::accumulate(kCityPopulation.begin(), kCityPopulation.end(), 0.0);
  const double budget = L.annual_budget.at(ctx.now()) * share;
  std::vector<AgentId> here;
  ctx.graph().for_each_in(ctx.self(), kLocation, [&](AgentId a, double) { here.push_back(a); });
  if (here.empty()) return;
  const double each = std::min(0.3 * L.scale.at(ctx.now()), budget / static_cast<double>(here.size()));
  for (AgentId space : here)
    ctx.schedule(
        space, later(ctx), ev.grant,
        sim::make_payload(Pair{static_cast<std::uint32_t>(Instrument::LocalSubsidy), static_cast<float>(each)}));
  cities.subsidy_paid[c] += each * static_cast<double>(here.size());
  city_budget[c] += budget;
}

void GansuModel::Impl::on_host_considers_space(Context& ctx, const Event& e) {
  const AgentId host = ctx.self();
  if (is_redraw(e) || !thinning_accepts(ctx, e, host_rate(host, ctx.now(), false))) {
    after_hazard(ctx, host_rate(host, ctx.now(), true), ev.host_considers_space);
    return;
  }
  AgentId space = kNone;
  if (zone_t.contains(host))
    space = zones.space[host - zone_t.first];
  else if (univ_t.contains(host))
    space = univs.space[host - univ_t.first];
  else
    space = ents.space[host - ent_t.first];
  ctx.schedule(space, later(ctx), ev.open_space);  // a host runs one space; it does not reopen a closed one
}

void GansuModel::Impl::on_commission_rd(Context& ctx, const Event& e) {
  const std::uint32_t k = ctx.self() - ent_t.first;
  const bool leading = ents.kind[k] == static_cast<std::uint8_t>(EnterpriseKind::Leading);
  const double base = leading ? p.a.commission_leading : p.a.commission_sme;
  const double rate = base * (1 + p.a.effect_super_deduction * s(LeverId::RdSuperDeduction, ctx.now()));
  if (!is_redraw(e) && thinning_accepts(ctx, e, rate)) {
    const AgentId space = space_near(ctx, ents.city[k]);
    if (space != kNone) {
      const double amount = p.a.commission_amount * (leading ? 2.0 : 1.0) * (0.5 + ctx.rng().uniform());
      ctx.schedule(space, later(ctx), ev.commission, sim::make_payload(Pair{0, static_cast<float>(amount)}));
      ++ents.commissions[k];
      if (!has_link(ents.commissioned[k], space)) ents.commissioned[k].push_back({space, ctx.now()});
    }
  }
  after_hazard(ctx, base * (1 + p.a.effect_super_deduction * smax(LeverId::RdSuperDeduction, ctx.now())),
               ev.commission_rd);
}

void GansuModel::Impl::on_tech_offer(Context& ctx, const Event& e) {
  const std::uint32_t k = ctx.self() - ent_t.first;
  const bool leading = ents.kind[k] == static_cast<std::uint8_t>(EnterpriseKind::Leading);
  if (!ctx.rng().bernoulli(std::min(1.0, p.a.adoption_chance * (leading ? 1.5 : 1.0)))) return;
  ++ents.adopted[k];
  ents.digitalisation[k] = std::min(1.0f, ents.digitalisation[k] + 0.1f);
  ents.chain[k].push_back({e.source(), ctx.now()});  // the graduated firm becomes a supplier
}

void GansuModel::Impl::on_transfer_result(Context& ctx, const Event& e) {
  const std::uint32_t u = ctx.self() - univ_t.first;
  const double t = ctx.now();
  const double lanbai = univs.lanbai[u] && univs.institute[u] ? s(LeverId::LanbaiAutonomousDisposal, t) : 0.0;
  const double per_result = p.a.transfer_rate / 5.0 * (1 + p.a.effect_transfer_share * (share_eff(t) - 0.2));
  const double rate = per_result * univs.results[u] * (1 + p.a.effect_lanbai_disposal * lanbai);
  if (is_redraw(e)) {  // moved to a scale change: only a new draw, with the bound from now
    after_hazard(ctx, transfer_bound(u, t), ev.transfer_result);
    return;
  }
  if (thinning_accepts(ctx, e, rate)) {
    ++univs.transfers[u];
    univs.results[u] = std::max(0.0f, univs.results[u] - 0.5f);
    const auto& local = ents_by_city[univs.city[u]];
    if (!local.empty()) {
      const AgentId firm = pick(ctx, local);
      if (!has_link(univs.partners[u], firm)) univs.partners[u].push_back({firm, ctx.now()});
    }
  }
  univs.results[u] += univs.research_staff[u] / 1000.0f;  // research keeps producing results
  after_hazard(ctx, transfer_bound(u, t), ev.transfer_result);
}

void GansuModel::Impl::on_maker_acts(Context& ctx, const Event& e) {
  const std::uint32_t k = ctx.self() - maker_t.first;
  if (makers.state[k] != static_cast<std::uint8_t>(MakerState::Idle)) return;
  if (is_redraw(e) || !thinning_accepts(ctx, e, maker_rate(k, ctx.now(), false))) {
    after_hazard(ctx, maker_rate(k, ctx.now(), true), ev.maker_acts);
    return;
  }
  const AgentId space = space_near(ctx, makers.city[k]);
  if (space == kNone) {
    after_hazard(ctx, maker_rate(k, ctx.now(), true), ev.maker_acts);
    return;
  }
  const std::uint32_t mode = ctx.rng().bernoulli(p.a.join_share) ? 1 : 0;
  makers.state[k] = static_cast<std::uint8_t>(MakerState::Applying);
  ctx.schedule(space, later(ctx), ev.apply_desk, sim::make_payload(Ids{mode, 0}));
}

void GansuModel::Impl::on_admitted(Context& ctx, const Event& e) {
  const std::uint32_t k = ctx.self() - maker_t.first;
  const bool founder = sim::payload_as<Ids>(e.payload).a == 0;
  makers.state[k] = static_cast<std::uint8_t>(founder ? MakerState::Founder : MakerState::Member);
  if (!makers.employed(k)) return;
  const bool keeps_post = static_cast<MakerOrigin>(makers.origin[k]) == MakerOrigin::Researcher &&
                          lever(LeverId::ResearcherPostKept).active(ctx.now()) && p.post_kept_years > 0;
  if (keeps_post) {
    ctx.schedule(ctx.self(), ctx.now() + p.post_kept_years * kYear, ev.post_expires);
  } else {
    makers.employment_end[k] = ctx.now();
  }
}

void GansuModel::Impl::on_team_ended(Context& ctx) {
  const std::uint32_t k = ctx.self() - maker_t.first;
  // A researcher whose post is still kept goes back to it; the others are done with founding.
  if (makers.employed(k) && static_cast<MakerOrigin>(makers.origin[k]) == MakerOrigin::Researcher)
    makers.returned_to_post[k] = 1;
  makers.state[k] = static_cast<std::uint8_t>(MakerState::Done);
}

void GansuModel::Impl::on_open_space(Context& ctx, const Event&) {
  const std::uint32_t k = ctx.self() - space_t.first;
  if (spaces.status[k] != static_cast<std::uint8_t>(SpaceStatus::Inactive)) return;
  auto& rng = ctx.rng();
  spaces.status[k] = static_cast<std::uint8_t>(SpaceStatus::Running);
  spaces.opened_at[k] = ctx.now();
  spaces.desks[k] = static_cast<std::uint16_t>(std::max(8.0, p.a.desks_mean * (0.5 + rng.uniform())));
  spaces.cash[k] = p.a.monthly_cost * p.a.start_cash_months;
  spaces.income[k] += spaces.cash[k];
  spaces.host_money[k] += spaces.cash[k];
  ctx.add_edge(ctx.self(), city_id(spaces.city[k]), kLocation);
  ctx.schedule(ctx.self(), ctx.now() + kMonth, ev.month_accounts);
}

void GansuModel::Impl::on_apply_desk(Context& ctx, const Event& e) {
  const std::uint32_t k = ctx.self() - space_t.first;
  const AgentId maker = e.source();
  const std::uint32_t mode = sim::payload_as<Ids>(e.payload).a;
  const bool running = spaces.status[k] == static_cast<std::uint8_t>(SpaceStatus::Running);
  auto& res = spaces.residents[k];
  if (running && mode == 0 && res.size() < spaces.desks[k]) {
    // Applications are handled in the engine's event order: the last free desk goes to the earliest one.
    const AgentId team = team_t.first + (maker - maker_t.first);
    res.push_back(team);
    ++spaces.admitted[k];
    // The team learns whether professionals serve here when it enters (a message, not a read of our state).
    ctx.schedule(team, later(ctx), ev.team_start, sim::make_payload(Ids{spaces.mentors[k].empty() ? 0u : 1u, 0}));
    ctx.schedule(maker, later(ctx), ev.admitted, sim::make_payload(Ids{0, 0}));
  } else if (running && mode == 1 && !res.empty()) {
    ctx.schedule(pick(ctx, res), later(ctx), ev.join_team, sim::make_payload(Ids{maker, 0}));
  } else {
    ctx.schedule(maker, later(ctx), ev.rejected);
  }
}

void GansuModel::Impl::on_month_accounts(Context& ctx) {
  const std::uint32_t k = ctx.self() - space_t.first;
  if (spaces.status[k] != static_cast<std::uint8_t>(SpaceStatus::Running)) return;
  const double t = ctx.now();
  const Assumptions& a = p.a;
  double tax_cut = a.effect_tax_cost * (s(LeverId::AcceleratedDepreciation, t) + s(LeverId::ImportTaxRelief, t));
  if (spaces.recognised[k]) tax_cut += 2 * a.effect_tax_cost * s(LeverId::IncubatorTaxPolicy, t);
  const double idle_cut = spaces.idle_plant[k] ? a.effect_idle_plant / 4 * s(LeverId::IdlePlantConversion, t) : 0.0;
  const double gross = a.monthly_cost * (0.5 + spaces.desks[k] / 80.0);
  const double cost = gross * std::max(0.2, 1 - tax_cut - idle_cut);
  spaces.tax_relief[k] += gross * std::min(tax_cut, 0.8);
  const double rent = a.rent_per_team * static_cast<double>(spaces.residents[k].size());
  spaces.cash[k] += rent - cost;
  spaces.income[k] += rent;
  spaces.costs[k] += cost;
  if (spaces.cash[k] < 0) {
    const double rescue[kHostTypeCount] = {a.host_rescue_enterprise, a.host_rescue_university, a.host_rescue_zone,
                                           a.host_rescue_market, a.host_rescue_market};
    if (ctx.rng().bernoulli(rescue[spaces.host_type[k]])) {
      const double refill = a.monthly_cost * a.start_cash_months / 2;
      spaces.cash[k] += refill;
      spaces.income[k] += refill;
      spaces.host_money[k] += refill;
    } else {
      close_space(ctx, k);
      return;
    }
  }
  const unsigned month = month_of(t);
  const int year = year_of(t);
  const auto mentors_here = spaces.mentors[k].size();
  if (!spaces.recognised[k] && spaces.applied[k] != static_cast<std::uint8_t>(year - 2000) &&
      t - spaces.opened_at[k] >= a.recognition_min_months * kMonth &&
      spaces.residents[k].size() >= a.recognition_min_teams && mentors_here >= a.recognition_min_mentors) {
    spaces.applied[k] = static_cast<std::uint8_t>(year - 2000);
    ctx.schedule(gov_id(), later(ctx), ev.recognition_application);
  }
  if (spaces.recognised[k] && month == 3 && spaces.report_due[k] != static_cast<std::uint8_t>(year - 2000)) {
    spaces.report_due[k] = static_cast<std::uint8_t>(year - 2000);
    const double score = static_cast<double>(spaces.residents[k].size()) / spaces.desks[k] +
                         0.05 * spaces.graduated[k] + 0.05 * static_cast<double>(mentors_here) +
                         0.3 * ctx.rng().uniform();
    ctx.schedule(gov_id(), later(ctx), ev.annual_report, sim::make_payload(Pair{0, static_cast<float>(score)}));
  }
  ctx.schedule(ctx.self(), t + kMonth, ev.month_accounts);
}

void GansuModel::Impl::close_space(Context& ctx, std::uint32_t k) {
  spaces.status[k] = static_cast<std::uint8_t>(SpaceStatus::Closed);
  spaces.closed_at[k] = ctx.now();
  const bool was_recognised = spaces.recognised[k];
  spaces.recognised[k] = 0;
  spaces.filed[k] = 0;
  for (AgentId team : spaces.residents[k]) ctx.schedule(team, later(ctx), ev.evicted);
  for (AgentId mentor : spaces.mentors[k]) ctx.schedule(mentor, later(ctx), ev.mentor_released);
  spaces.residents[k].clear();
  spaces.mentors[k].clear();
  ctx.remove_edge(ctx.self(), city_id(spaces.city[k]), kLocation);
  if (was_recognised) ctx.schedule(gov_id(), later(ctx), ev.space_closed);
}

void GansuModel::Impl::on_grant(Context& ctx, const Event& e) {
  const auto pl = sim::payload_as<Pair>(e.payload);
  const AgentId self = ctx.self();
  if (space_t.contains(self)) {
    const std::uint32_t k = self - space_t.first;
    spaces.cash[k] += pl.b;
    spaces.income[k] += pl.b;
  } else if (team_t.contains(self)) {
    const std::uint32_t k = self - team_t.first;
    const bool funded_before = has_funding(k);
    teams.public_money[k] += pl.b;
    count_funding(ctx, k, funded_before);
  } else if (inv_t.contains(self)) {
    invs.compensated[self - inv_t.first] += pl.b;
    invs.capital[self - inv_t.first] += pl.b;
  }
  // Mentors' service subsidies need no bookkeeping on their side.
}

void GansuModel::Impl::on_team_start(Context& ctx, const Event& e) {
  const std::uint32_t k = ctx.self() - team_t.first;
  const AgentId space = e.source();
  const std::uint32_t s_k = space - space_t.first;
  auto& rng = ctx.rng();
  teams.stage[k] = static_cast<std::uint8_t>(TeamStage::Team);
  teams.space[k] = space;
  teams.city[k] = spaces.city[s_k];    // fixed attribute of the space
  teams.origin[k] = makers.origin[k];  // fixed attribute of the founder
  teams.industry[k] = rng.bernoulli(0.5) ? spaces.industry[s_k] : static_cast<std::uint8_t>(rng.below(kIndustryCount));
  teams.quality[k] = static_cast<float>(0.5 * makers.skill[k] + 0.5 * rng.uniform());
  teams.size[k] = 1;
  teams.members_new[k] = 1;
  teams.founded_at[k] = ctx.now();
  tally(ctx, Entrepreneurs, 1);
  if (!teams.legacy[k]) tally(ctx, Founded, 1);
  teams.mentored[k] = static_cast<std::uint8_t>(sim::payload_as<Ids>(e.payload).a);
  teams.home[k] = space;
  schedule_team_step(ctx, k);  // the founding relation is founded_at (team slot k is maker k's)
}

void GansuModel::Impl::on_join_team(Context& ctx, const Event& e) {
  const std::uint32_t k = ctx.self() - team_t.first;
  const AgentId maker = sim::payload_as<Ids>(e.payload).a;
  const auto stage = static_cast<TeamStage>(teams.stage[k]);
  const bool open = (stage == TeamStage::Team || stage == TeamStage::Registered || stage == TeamStage::Funded) &&
                    teams.space[k] != kNone && teams.size[k] < p.a.team_size_max;
  if (!open) {
    ctx.schedule(maker, later(ctx), ev.rejected);
    return;
  }
  ++teams.size[k];
  ++teams.members_new[k];
  tally(ctx, Entrepreneurs, 1);
  teams.joiners[k].push_back({maker, ctx.now()});
  ctx.schedule(maker, later(ctx), ev.admitted, sim::make_payload(Ids{1, 0}));
}

GansuModel::Impl::TeamRates GansuModel::Impl::team_rates(const Context& ctx, std::uint32_t k) const {
  const auto stage = static_cast<TeamStage>(teams.stage[k]);
  const Assumptions& a = p.a;
  const bool mentored = teams.space[k] != kNone && teams.mentored[k];
  const double quality = teams.quality[k];
  TeamRates r{};
  r.reg = stage == TeamStage::Team ? a.register_rate : 0;
  r.pitch = a.pitch_rate;
  r.fail = a.fail_rate * (1.5 - quality) * (mentored ? 1 - a.mentor_fail_cut : 1.0) *
           (stage == TeamStage::Funded ? 1 - a.funded_fail_cut : 1.0);
  const bool can_graduate = stage == TeamStage::Funded && ctx.now() - teams.founded_at[k] > kYear;
  r.grad = can_graduate ? a.graduate_rate * (0.5 + quality) : 0;
  return r;
}

void GansuModel::Impl::schedule_team_step(Context& ctx, std::uint32_t k) {
  const std::uint32_t version = ++team_version[k];
  ctx.schedule(ctx.self(), ctx.now() + ctx.rng().exponential(kYear / team_rates(ctx, k).total()), ev.team_step,
               sim::make_payload(Ids{version, 1}));
}

void GansuModel::Impl::on_team_step(Context& ctx, const Event& e) {
  const std::uint32_t k = ctx.self() - team_t.first;
  const auto pl = sim::payload_as<Ids>(e.payload);
  if (pl.b == 1 && pl.a != team_version[k]) return;  // superseded by a later reschedule
  const auto stage = static_cast<TeamStage>(teams.stage[k]);
  if (stage == TeamStage::Inactive || stage == TeamStage::Graduated || stage == TeamStage::Failed) return;
  const Assumptions& a = p.a;
  auto& rng = ctx.rng();
  const double t = ctx.now();
  const double quality = teams.quality[k];
  const TeamRates r = team_rates(ctx, k);
  double u = rng.uniform() * r.total();
  if ((u -= r.reg) < 0) {
    teams.stage[k] = static_cast<std::uint8_t>(TeamStage::Registered);
    teams.jobs[k] += 1;
    if (!teams.legacy[k]) tally(ctx, Jobs, 1);
    if (quality > 0.75 && lever(LeverId::CompetitionSupport).active(t) && rng.bernoulli(0.3))
      ctx.schedule(gov_id(), later(ctx), ev.claim,
                   sim::make_payload(Pair{static_cast<std::uint32_t>(Instrument::CompetitionPrize),
                                          static_cast<float>(a.competition_prize)}));
  } else if ((u -= r.pitch) < 0) {
    const bool registered = stage != TeamStage::Team;
    const bool equity = teams.private_money[k] > 0 || teams.public_money[k] > 0;
    const bool lanbai = in_lanbai(teams.city[k]);
    double w[kInvestorKindCount] = {};
    w[static_cast<std::size_t>(InvestorKind::Angel)] =
        0.4 * (1 + a.effect_angel_resident * s(LeverId::AngelInvestment, t));
    w[static_cast<std::size_t>(InvestorKind::VentureFund)] =
        0.15 * (1 + a.effect_angel_resident * s(LeverId::AngelInvestment, t));
    w[static_cast<std::size_t>(InvestorKind::ZoneAngelFund)] =
        lanbai && lever(LeverId::ZoneAngelFunds).active(t) ? 0.15 : 0;
    w[static_cast<std::size_t>(InvestorKind::Bank)] = registered ? 0.2 : 0;
    w[static_cast<std::size_t>(InvestorKind::GuaranteeFirm)] =
        registered && lever(LeverId::StartupGuaranteeLoans).active(t)
            ? 0.15 * (1 + a.effect_guarantee * s(LeverId::StartupGuaranteeLoans, t))
            : 0;
    double sum = 0;
    for (double x : w) sum += x;
    double v = rng.uniform() * sum;
    std::size_t kind = 0;
    while (kind + 1 < kInvestorKindCount && (v -= w[kind]) >= 0) ++kind;
    AgentId investor = kNone;
    if (static_cast<InvestorKind>(kind) == InvestorKind::Angel && !angels_by_city[teams.city[k]].empty() &&
        rng.bernoulli(0.7))
      investor = pick(ctx, angels_by_city[teams.city[k]]);
    else if (static_cast<InvestorKind>(kind) == InvestorKind::ZoneAngelFund)
      investor = teams.city[k] == kBaiyin ? zone_fund_baiyin : zone_fund_lanzhou;
    else if (!invs_by_kind[kind].empty())
      investor = pick(ctx, invs_by_kind[kind]);
    if (investor != kNone) {
      const std::uint32_t flags = (registered ? 1u : 0u) | (equity ? 2u : 0u) | (std::uint32_t{teams.city[k]} << 8) |
                                  (std::uint32_t{teams.industry[k]} << 16);
      ctx.schedule(investor, later(ctx), ev.pitch, sim::make_payload(Pair{flags, static_cast<float>(quality)}));
    }
  } else if ((u -= r.fail) < 0) {
    team_exit(ctx, k, false);
    return;
  } else {
    team_exit(ctx, k, true);
    return;
  }
  schedule_team_step(ctx, k);
}

void GansuModel::Impl::team_exit(Context& ctx, std::uint32_t k, bool graduated) {
  const double t = ctx.now();
  teams.stage[k] = static_cast<std::uint8_t>(graduated ? TeamStage::Graduated : TeamStage::Failed);
  tally(ctx, graduated ? Graduated : Failed, 1);  // both are final: on_funded and team steps stop there
  teams.ended_at[k] = t;
  if (teams.space[k] != kNone) {
    ctx.schedule(teams.space[k], later(ctx), ev.team_leaves, sim::make_payload(Ids{graduated ? 1u : 0u, 0}));
    teams.left_at[k] = t;
  }
  if (graduated) {
    teams.jobs[k] += 2;
    if (!teams.legacy[k]) tally(ctx, Jobs, 2);
    if (ctx.rng().bernoulli(p.a.effect_capital_market * s(LeverId::CapitalMarket, t))) {
      if (teams.market_money[k] == 0) ctx.record(MarketMoney, 0);
      teams.market_money[k] += 5.0;
    }
    const auto& peers = ents_by_industry[teams.industry[k]];
    if (!peers.empty()) ctx.schedule(pick(ctx, peers), later(ctx), ev.tech_offer);
  } else {
    if (teams.guaranteed[k] && teams.guarantor[k] != kNone)
      ctx.schedule(teams.guarantor[k], later(ctx), ev.guarantee_loss,
                   sim::make_payload(Pair{0, static_cast<float>(teams.loan[k])}));
  }
  if (!teams.legacy[k]) ctx.schedule(maker_t.first + k, later(ctx), ev.team_ended);
}

void GansuModel::Impl::on_funded(Context& ctx, const Event& e) {
  const std::uint32_t k = ctx.self() - team_t.first;
  const auto stage = static_cast<TeamStage>(teams.stage[k]);
  if (stage == TeamStage::Inactive || stage == TeamStage::Graduated || stage == TeamStage::Failed) return;
  const auto pl = sim::payload_as<Pair>(e.payload);
  const auto kind = static_cast<InvestorKind>(pl.a);
  const bool funded_before = has_funding(k);
  switch (kind) {
    case InvestorKind::GuidanceFund:
    case InvestorKind::ZoneAngelFund:
      teams.public_money[k] += pl.b;
      break;
    case InvestorKind::Bank:
      teams.loan[k] += pl.b;
      break;
    case InvestorKind::GuaranteeFirm:
      teams.loan[k] += pl.b;
      teams.guaranteed[k] = 1;
      teams.guarantor[k] = e.source();
      break;
    default:
      teams.private_money[k] += pl.b;
  }
  count_funding(ctx, k, funded_before);
  teams.stage[k] = static_cast<std::uint8_t>(TeamStage::Funded);
  // Jobs per round: a Poisson draw around the assumed mean.
  const double mean = p.a.hire_per_funding;
  double u = ctx.rng().uniform(), prob = std::exp(-mean), cdf = prob;
  std::uint32_t hires = 0;
  while (u > cdf && hires < 50) prob *= mean / ++hires, cdf += prob;
  teams.jobs[k] += hires;
  if (hires > 0 && !teams.legacy[k]) tally(ctx, Jobs, hires);
  if (stage != TeamStage::Funded) schedule_team_step(ctx, k);  // graduation becomes possible
}

void GansuModel::Impl::on_pitch(Context& ctx, const Event& e) {
  const std::uint32_t k = ctx.self() - inv_t.first;
  const auto pl = sim::payload_as<Pair>(e.payload);
  const bool registered = pl.a & 1u, equity = pl.a & 2u;
  const double quality = pl.b, t = ctx.now();
  const Assumptions& a = p.a;
  const auto kind = static_cast<InvestorKind>(invs.kind[k]);
  auto& rng = ctx.rng();
  double chance = 0, amount = 0;
  bool loan = false;
  switch (kind) {
    case InvestorKind::Angel:
      chance = a.angel_accept * (1 + a.effect_angel_resident * s(LeverId::AngelInvestment, t)) * 2 * quality;
      amount = a.angel_amount * (0.5 + rng.uniform());
      break;
    case InvestorKind::VentureFund:
      chance = a.vc_accept * (1 + a.effect_angel_resident * s(LeverId::AngelInvestment, t)) * 2 * quality *
               (registered ? 1.5 : 0.5);
      amount = a.vc_amount * (0.5 + rng.uniform());
      break;
    case InvestorKind::ZoneAngelFund:
      chance = lever(LeverId::ZoneAngelFunds).active(t) ? 2 * a.angel_accept * 2 * quality : 0;
      amount = a.angel_amount * (0.5 + rng.uniform());
      break;
    case InvestorKind::Bank:
      chance = registered
                   ? a.bank_accept * (equity ? 1 + a.effect_linkage * s(LeverId::InvestmentLoanLinkage, t) : 1.0) *
                         (1 + a.effect_ip_pledge * s(LeverId::IpPledgeLoans, t)) *
                         (1 + a.effect_policy_bank * s(LeverId::PolicyBankCredit, t))
                   : 0;
      amount = a.loan_amount * (0.5 + rng.uniform());
      loan = true;
      break;
    case InvestorKind::GuaranteeFirm:
      chance = registered && lever(LeverId::StartupGuaranteeLoans).active(t)
                   ? a.guarantee_accept * (1 + a.effect_risk_comp * s(LeverId::RiskCompensation, t))
                   : 0;
      amount = a.loan_amount * (0.5 + rng.uniform());
      loan = true;
      break;
    case InvestorKind::GuidanceFund:
      break;
  }
  if (!rng.bernoulli(std::min(1.0, chance)) || invs.capital[k] < amount) return;
  invs.capital[k] -= amount;
  invs.invested[k] += amount;
  ++invs.deals[k];
  invs.stakes[k].push_back({e.source(), ctx.now(), loan});
  ctx.schedule(e.source(), later(ctx), ev.funded,
               sim::make_payload(Pair{static_cast<std::uint32_t>(kind), static_cast<float>(amount)}));
  if (kind == InvestorKind::Angel || kind == InvestorKind::VentureFund) {
    // Guidance funds invest alongside private equity, never alone (POLICY §3.1, §3.3).
    const auto city = static_cast<std::uint8_t>((pl.a >> 8) & 0xFF),
               industry = static_cast<std::uint8_t>((pl.a >> 16) & 0xFF);
    AgentId fund = venture_fund;
    if (in_lanbai(city) && rng.bernoulli(0.5))
      fund = lanbai_fund;
    else if (is_traditional(industry))
      fund = industry_fund;
    ctx.schedule(fund, later(ctx), ev.coinvest_request,
                 sim::make_payload(Pair{e.source(), static_cast<float>(amount)}));
  }
}

void GansuModel::Impl::on_coinvest_request(Context& ctx, const Event& e) {
  const std::uint32_t k = ctx.self() - inv_t.first;
  const auto pl = sim::payload_as<Pair>(e.payload);
  const double amount = 0.5 * pl.b;
  if (invs.capital[k] < amount || !ctx.rng().bernoulli(p.a.guidance_coinvest)) return;
  invs.capital[k] -= amount;
  invs.invested[k] += amount;
  ++invs.deals[k];
  invs.stakes[k].push_back({pl.a, ctx.now(), false});
  ctx.schedule(
      pl.a, later(ctx), ev.funded,
      sim::make_payload(Pair{static_cast<std::uint32_t>(InvestorKind::GuidanceFund), static_cast<float>(amount)}));
}

void GansuModel::Impl::on_mentor_acts(Context& ctx, const Event& e) {
  const std::uint32_t k = ctx.self() - mentor_t.first;
  if (sim::payload_as<Pair>(e.payload).a != mentor_version[k]) return;  // superseded
  if (is_redraw(e)) {
    next_mentor_decision(ctx, mentors.space[k] != kNone ? p.a.mentor_leave : mentor_join_rate(ctx.now(), true));
    return;
  }
  if (mentors.space[k] != kNone) {  // a serving professional leaves
    ctx.schedule(mentors.space[k], later(ctx), ev.mentor_leaves);
    mentors.leave(k, ctx.now());
    next_mentor_decision(ctx, mentor_join_rate(ctx.now(), true));
    return;
  }
  const bool allowed = !mentors.commissioner[k] || lever(LeverId::CommissionersAsMentors).active(ctx.now());
  if (!allowed || !thinning_accepts(ctx, e, mentor_join_rate(ctx.now(), false))) {
    next_mentor_decision(ctx, mentor_join_rate(ctx.now(), true));
    return;
  }
  const AgentId space = space_near(ctx, mentors.city[k]);
  if (space == kNone) {
    next_mentor_decision(ctx, mentor_join_rate(ctx.now(), true));
    return;
  }
  ctx.schedule(space, later(ctx), ev.mentor_offer);
}

// ============================================================================================================
// Recording
// ============================================================================================================

namespace {
/// A range of spaces' counts at a capture. Integers, so that the parts add up to the same totals however the
/// spaces are split (and convert to the doubles that adding 1.0s one by one gave, bit for bit).
struct SpaceCounts {
  std::array<std::uint32_t, kCityCount> city{}, recognised_city{}, teams_city{};
  std::array<std::uint32_t, kHostTypeCount> host{}, recognised_host{}, opened_host{};
  std::array<std::uint32_t, kIndustryCount> industry{}, teams_industry{};
  std::uint64_t opened = 0, closed = 0, filed = 0, resident = 0, resident_recognised = 0;
  void add(const SpaceCounts& c) {
    auto sum = [](auto& to, const auto& from) {
      for (std::size_t i = 0; i < to.size(); ++i) to[i] += from[i];
    };
    sum(city, c.city), sum(recognised_city, c.recognised_city), sum(teams_city, c.teams_city);
    sum(host, c.host), sum(recognised_host, c.recognised_host), sum(opened_host, c.opened_host);
    sum(industry, c.industry), sum(teams_industry, c.teams_industry);
    opened += c.opened, closed += c.closed, filed += c.filed, resident += c.resident;
    resident_recognised += c.resident_recognised;
  }
};
template <class From, class To>
void to_doubles(const From& from, To& to) {
  std::transform(from.begin(), from.end(), to.begin(), [](auto v) { return static_cast<double>(v); });
}
}  // namespace

void GansuModel::Impl::capture(Outcome& o, double t) {
  std::array<double, kIndicatorCount> x{};
  std::array<double, kCityCount> by_city{}, rec_city{}, teams_city{};
  std::array<double, kHostTypeCount> by_host{}, rec_host{}, opened_host{};
  std::array<double, kIndustryCount> by_ind{}, teams_ind{};
  auto at = [&](Indicator i) -> double& { return x[static_cast<std::size_t>(i)]; };
  // The capture's loops run as tasks at once: the spaces in one part per thread (the largest loop, 30 of a
  // scale-1 tick's 37 us, on one thread while the others waited), the enterprises and mentors, and the money.
  // Each task writes only its own results; the money's sums keep their serial order.
  const std::uint32_t parts = thread_parts();
  std::vector<SpaceCounts> part(parts);
  auto count_spaces = [&](std::uint32_t from, std::uint32_t to, SpaceCounts& out) {
    SpaceCounts c;  // local: the compiler need not assume that the counts alias the agents' arrays
    for (std::uint32_t k = from; k < to; ++k) {
      const bool was_opened = !spaces.initial[k] && !std::isnan(spaces.opened_at[k]);
      c.opened += was_opened, c.opened_host[spaces.host_type[k]] += was_opened;
      c.closed += !std::isnan(spaces.closed_at[k]);
      if (spaces.status[k] != static_cast<std::uint8_t>(SpaceStatus::Running)) continue;
      const bool rec = spaces.recognised[k] || spaces.filed[k];
      const auto here = static_cast<std::uint32_t>(spaces.residents[k].size());
      c.city[spaces.city[k]] += 1, c.host[spaces.host_type[k]] += 1, c.industry[spaces.industry[k]] += 1;
      c.resident += here, c.teams_city[spaces.city[k]] += here;
      c.filed += spaces.filed[k] != 0;
      if (rec) {
        c.recognised_city[spaces.city[k]] += 1, c.recognised_host[spaces.host_type[k]] += 1;
        c.resident_recognised += here;
      }
      for (AgentId team : spaces.residents[k]) ++c.teams_industry[teams.industry[team - team_t.first]];
    }
    out = c;
  };
  std::uint64_t commissions = 0, upgraded = 0, serving = 0, transfers = 0;
  auto count_firms = [&] {
    for (std::size_t e = 0; e < ents.kind.size(); ++e) {
      commissions += ents.commissions[e];
      // Without a branch: one that mispredicts per enterprise cost 10 of the capture's 37 us.
      upgraded += static_cast<unsigned>(is_traditional(ents.industry[e])) & static_cast<unsigned>(ents.adopted[e] > 0);
    }
    serving = static_cast<std::uint64_t>(
        std::count_if(mentors.space.begin(), mentors.space.end(), [](AgentId s_) { return s_ != kNone; }));
    transfers = std::accumulate(univs.transfers.begin(), univs.transfers.end(), std::uint64_t{0});
  };
  // Money by instrument.
  std::array<double, kInstrumentCount> money{};
  auto m = [&](Instrument i) -> double& { return money[static_cast<std::size_t>(i)]; };
  auto sum_money = [&] {
    for (std::size_t i = 0; i < kPublicInstruments; ++i) money[i] = gov.paid[i];
    m(Instrument::LocalSubsidy) = std::accumulate(cities.subsidy_paid.begin(), cities.subsidy_paid.end(), 0.0);
    // The instrument an investor's money counts under (the guidance funds are told apart by which they are).
    auto instrument_of = [&](std::size_t i) {
      switch (static_cast<InvestorKind>(invs.kind[i])) {
        case InvestorKind::Angel:
          return Instrument::Angel;
        case InvestorKind::VentureFund:
          return Instrument::VentureCapital;
        case InvestorKind::Bank:
          return Instrument::BankLoan;
        case InvestorKind::GuaranteeFirm:
          return Instrument::GuaranteedLoan;
        case InvestorKind::ZoneAngelFund:
          return Instrument::ZoneAngelFund;
        case InvestorKind::GuidanceFund:
          break;
      }
      const AgentId id = inv_t[static_cast<std::uint32_t>(i)];
      return id == venture_fund    ? Instrument::VentureGuidanceFund
             : id == industry_fund ? Instrument::IndustryGuidanceFund
                                   : Instrument::LanbaiFund;
    };
    for (std::size_t i = 0; i < invs.kind.size(); ++i) m(instrument_of(i)) += invs.invested[i];
    // Over the teams that raised market money, in slot order (the order a scan of all teams adds them in).
    for (const std::uint32_t k : market_teams) m(Instrument::CapitalMarket) += teams.market_money[k];
    for (std::uint32_t k = 0; k < n.spaces; ++k) {
      m(Instrument::HostFunding) += spaces.host_money[k];
      m(Instrument::Commissioned) += spaces.commission_money[k];
      m(Instrument::TaxRelief) += spaces.tax_relief[k];
    }
  };
  // The small tasks go between the spaces' parts: the threads split the list in halves, and the spaces' parts
  // are then on both sides.
  std::vector<std::function<void()>> tasks;
  for (std::uint32_t c = 0; c < parts; ++c) {
    tasks.emplace_back([&, c] {
      count_spaces(static_cast<std::uint32_t>(std::uint64_t{n.spaces} * c / parts),
                   static_cast<std::uint32_t>(std::uint64_t{n.spaces} * (c + 1) / parts), part[c]);
    });
    if (c == 0) tasks.emplace_back(count_firms);
    if (c == 1 || parts == 1) tasks.emplace_back(sum_money);
  }
  sim.concurrently(tasks);

  SpaceCounts all;
  for (const SpaceCounts& c : part) all.add(c);
  to_doubles(all.city, by_city), to_doubles(all.recognised_city, rec_city), to_doubles(all.teams_city, teams_city);
  to_doubles(all.host, by_host), to_doubles(all.recognised_host, rec_host), to_doubles(all.opened_host, opened_host);
  to_doubles(all.industry, by_ind), to_doubles(all.teams_industry, teams_ind);
  at(Indicator::SpacesOpened) = static_cast<double>(all.opened);
  at(Indicator::SpacesClosed) = static_cast<double>(all.closed);
  at(Indicator::SpacesFiled) = static_cast<double>(all.filed);
  at(Indicator::TeamsResident) = static_cast<double>(all.resident);
  at(Indicator::TeamsResidentRecognised) = static_cast<double>(all.resident_recognised);
  for (std::size_t h = 0; h < kHostTypeCount; ++h)
    at(Indicator::T1All) += by_host[h], at(Indicator::T1Recognised) += rec_host[h];
  at(Indicator::T2All) = by_host[static_cast<std::size_t>(HostType::LeadingEnterprise)];
  at(Indicator::T2Recognised) = rec_host[static_cast<std::size_t>(HostType::LeadingEnterprise)];
  at(Indicator::T3All) = by_host[static_cast<std::size_t>(HostType::UniversityInstitute)];
  at(Indicator::T3Recognised) = rec_host[static_cast<std::size_t>(HostType::UniversityInstitute)];
  at(Indicator::T4All) = by_host[static_cast<std::size_t>(HostType::DevelopmentZone)];
  at(Indicator::T4Recognised) = rec_host[static_cast<std::size_t>(HostType::DevelopmentZone)];
  at(Indicator::T5Mentors) = static_cast<double>(serving);
  at(Indicator::T6Entrepreneurs) = team_totals[Entrepreneurs];
  at(Indicator::TeamsGraduated) = team_totals[Graduated];
  at(Indicator::TeamsFailed) = team_totals[Failed];
  at(Indicator::TeamsFounded) = team_totals[Founded];
  at(Indicator::Jobs) = team_totals[Jobs];
  at(Indicator::TeamsFunded) = team_totals[Funded];
  at(Indicator::Recognitions) = gov.recognitions;
  at(Indicator::Delistings) = gov.delistings;
  at(Indicator::Transfers) = static_cast<double>(transfers);
  at(Indicator::Commissions) = static_cast<double>(commissions);
  at(Indicator::UpgradedEnterprises) = static_cast<double>(upgraded);
  for (std::size_t i = 0; i < kInstrumentCount; ++i)
    at(i < kPublicInstruments ? Indicator::PublicMoney : Indicator::PrivateMoney) += money[i];

  o.time.push_back(t);
  o.series.push_back(x);
  o.spaces_by_city.push_back(by_city);
  o.recognised_by_city.push_back(rec_city);
  o.teams_by_city.push_back(teams_city);
  o.spaces_by_host.push_back(by_host);
  o.recognised_by_host.push_back(rec_host);
  o.opened_by_host.push_back(opened_host);
  o.spaces_by_industry.push_back(by_ind);
  o.teams_by_industry.push_back(teams_ind);
  o.money = money;
}

namespace {
/// Snapshots the model's state at each monthly tick (between windows, so state is consistent), and hands
/// the handlers' records (the teams that raised market money) and tallies (changes of the team indicators) to the
/// model as they are committed.
class MonthlyRecorder : public sim::Observer {
 public:
  MonthlyRecorder(std::function<void(double)> capture, std::function<void(std::span<const sim::Record>)> records,
                  std::function<void(std::span<const std::int64_t>)> tallies)
      : capture_(std::move(capture)), records_(std::move(records)), tallies_(std::move(tallies)) {}
  bool reads_graph() const override { return false; }  // the capture reads the agents' arrays only
  void on_tick(double t) override { capture_(t); }
  void on_records(std::span<const sim::Record> r) override { records_(r); }
  void on_tallies(std::span<const std::int64_t> sums) override { tallies_(sums); }

 private:
  std::function<void(double)> capture_;
  std::function<void(std::span<const sim::Record>)> records_;
  std::function<void(std::span<const std::int64_t>)> tallies_;
};
}  // namespace

Outcome GansuModel::Impl::record_run() {
  Outcome o;
  o.replication = replication;
  auto snapshot = [&](double t) {
    Snapshot sn;
    sn.time = t;
    sn.space_status = spaces.status;
    sn.space_recognised = spaces.recognised;
    sn.space_filed = spaces.filed;
    sn.space_grade = spaces.grade;
    for (std::uint32_t k = 0; k < n.spaces; ++k) {
      sn.space_residents.push_back(static_cast<std::uint16_t>(spaces.residents[k].size()));
      sn.space_mentors.push_back(static_cast<std::uint16_t>(spaces.mentors[k].size()));
      sn.space_cash.push_back(static_cast<float>(spaces.cash[k]));
    }
    sn.team_stage = teams.stage;
    sn.team_jobs = teams.jobs;
    sn.maker_state = makers.state;
    o.snapshots.push_back(std::move(sn));
  };
  MonthlyRecorder recorder(
      [&](double t) {
        sort_market_teams();
        capture(o, t);
        if (p.snapshots && month_of(t) == 1 && calendar.to_date(t).day() == std::chrono::day(1)) snapshot(t);
      },
      [&](std::span<const sim::Record> records) {
        for (const sim::Record& r : records) add_up(r);
      },
      [&](std::span<const std::int64_t> sums) { add_up(sums); });
  sim.add_observer(&recorder);
  std::vector<double> ticks;
  const sim::Date first = calendar.to_date(p.start);
  for (auto ym = std::chrono::year_month(first.year(), first.month()) + std::chrono::months(1);;
       ym += std::chrono::months(1)) {
    const double t = calendar.to_time(ym / 1);
    if (t >= p.end) break;
    ticks.push_back(t);
  }
  sim.add_ticks(ticks);
  // A replication's state: a header (what it is, which replication), the engine's state, then the model's.
  constexpr std::uint32_t kMagic = 0x4D534E49, kVersion = 1;  // "INSM": innosim model state
  sim::Pauses pauses;
  pauses.times = checkpoints.times;
  pauses.stop_requested = checkpoints.stop_requested;
  pauses.wanted = checkpoints.wanted;
  pauses.on_pause = [&](double t, bool stopping, std::vector<char> engine) {
    if (!checkpoints.on_save) return;
    sim::StateWriter out;
    out.pod(kMagic), out.pod(kVersion), out.pod(replication);
    out.bytes(engine);
    engine = {};
    model_fields(out, o);
    checkpoints.on_save(t, stopping, out.take());
  };
  sim.set_pauses(std::move(pauses));
  if (!resume_state.empty()) {
    sim::StateReader in(resume_state, "replication state");
    in.expect(in.get<std::uint32_t>() == kMagic, "is not an innosim replication state");
    in.expect(in.get<std::uint32_t>() == kVersion, "has another format version");
    in.expect(in.get<std::uint32_t>() == replication, "belongs to another replication");
    sim.restore(in.bytes());
    model_fields(in, o);
    in.finish();
    in.expect(o.replication == replication, "has the outcome of another replication");
    resume_state = {};
  }
  const auto t0 = std::chrono::steady_clock::now();
  const sim::RunStats stats = sim.run();
  stopped = stats.stopped;
  if (stopped) return o;
  sort_market_teams();
  capture(o, p.end);
  if (p.snapshots) {
    if (o.snapshots.empty() || o.snapshots.back().time != p.end) snapshot(p.end);
    o.edges = sim.graph().edges();
    for_each_attribute_edge([&](const sim::EdgeRecord& r) { o.edges.push_back(r); });
    // One canonical order, whichever relations are edges and which attributes: by start, then ends.
    std::sort(o.edges.begin(), o.edges.end(), [](const sim::EdgeRecord& x, const sim::EdgeRecord& y) {
      return std::tie(x.start, x.source, x.target, x.type, x.end) <
             std::tie(y.start, y.source, y.target, y.type, y.end);
    });
  }
  o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  o.events = stats.committed;
  o.window_seconds = stats.window_seconds;
  o.between_seconds = stats.between_seconds;
  o.busy_share = sim::busy_share(stats);
  o.imbalance_share = sim::imbalance_share(stats);
  o.windows = stats.windows;
  o.threads_used = stats.threads_used();
  o.events_by_type = stats.events_by_type;
  for (std::size_t i = 0; i < stats.events_by_type.size(); ++i)
    o.event_names.push_back(sim.event_name(static_cast<EventType>(i)));
  o.edges_by_type.assign(kEdgeTypeCount, 0);
  for (std::size_t type = 0; type < kEdgeTypeCount; ++type)
    o.edges_by_type[type] = sim.graph().created_count(static_cast<sim::EdgeType>(type));
  o.live_edges = sim.graph().edge_count();
  // Counted in parts at once (a scale-1 count took 0.8-1 ms on one thread); the counts are integers, so the
  // sum does not depend on the parts.
  {
    struct EdgeCounts {
      std::array<std::uint64_t, kEdgeTypeCount> by_type{};
      std::uint64_t live = 0;
    };
    const std::uint32_t parts = thread_parts();
    std::vector<EdgeCounts> counts(parts);
    in_parts(parts, [&](std::uint32_t c) {
      EdgeCounts local;
      for_each_attribute_edge(
          [&](const sim::EdgeRecord& r) {
            ++local.by_type[r.type];
            local.live += r.end == std::numeric_limits<double>::infinity();
          },
          c, parts);
      counts[c] = local;
    });
    for (const EdgeCounts& c : counts) {
      for (std::size_t type = 0; type < kEdgeTypeCount; ++type) o.edges_by_type[type] += c.by_type[type];
      o.live_edges += c.live;
    }
  }
  for (const auto& t : sim.agent_types()) {
    o.agents_by_type.push_back(t.count);
    o.agent_type_names.push_back(sim.agent_type_name(t.id));
  }
  // The date each target is first met (on a monthly snapshot), where the thresholds apply at this scale.
  o.first_met.assign(kTargetIndicators.size(), kNaN);
  if (std::abs(p.scale - p.targets.scale) < 1e-12) {
    for (std::size_t j = 0; j < kTargetIndicators.size(); ++j) {
      const double thr = p.targets.threshold[static_cast<std::size_t>(kTargetThreshold[j])];
      for (std::size_t i = 0; i < o.time.size(); ++i) {
        const double v = o.series[i][static_cast<std::size_t>(kTargetIndicators[j])];
        if (kTargetStrict[j] ? v > thr : v >= thr) {
          o.first_met[j] = o.time[i] - 1;  // the snapshot at day t is the state at the end of day t - 1
          break;
        }
      }
    }
  }
  return o;
}

GansuModel::GansuModel(const Parameters& params, std::uint32_t replication, unsigned threads)
    : impl_(std::make_unique<Impl>(params, replication, threads)) {
  impl_->build();
  impl_->register_events();
  impl_->schedule_calendar();
}
GansuModel::~GansuModel() = default;
Outcome GansuModel::run() { return impl_->record_run(); }
bool GansuModel::stopped() const { return impl_->stopped; }
void GansuModel::set_checkpoints(Checkpoints checkpoints) { impl_->checkpoints = std::move(checkpoints); }
void GansuModel::resume(std::vector<char> state) { impl_->resume_state = std::move(state); }
const Spaces& GansuModel::spaces() const { return impl_->spaces; }
const Teams& GansuModel::teams() const { return impl_->teams; }
const Makers& GansuModel::makers() const { return impl_->makers; }
const Mentors& GansuModel::mentors() const { return impl_->mentors; }
const Investors& GansuModel::investors() const { return impl_->invs; }
const Government& GansuModel::government() const { return impl_->gov; }
const Cities& GansuModel::cities() const { return impl_->cities; }
std::uint32_t GansuModel::space_index(sim::AgentId space) const { return space - impl_->space_t.first; }
std::vector<std::pair<double, double>> GansuModel::budget_use() const {
  std::vector<std::pair<double, double>> out;
  for (std::size_t l = 0; l < kLeverCount; ++l) out.push_back({impl_->lever_granted[l], impl_->lever_spent[l]});
  const auto local = static_cast<std::size_t>(LeverId::LocalFacilitySubsidy);
  out[local] = {std::accumulate(impl_->city_budget.begin(), impl_->city_budget.end(), 0.0),
                std::accumulate(impl_->cities.subsidy_paid.begin(), impl_->cities.subsidy_paid.end(), 0.0)};
  return out;
}

std::vector<std::string> edge_type_names() { return {std::begin(kEdgeNames), std::end(kEdgeNames)}; }

}  // namespace innosim::gansu
