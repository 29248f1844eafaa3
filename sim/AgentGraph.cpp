#include "sim/AgentGraph.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <optional>
#include <stdexcept>
#include <string>

#include "sim/StateStream.hpp"

namespace innosim::sim {

namespace {

// Edges field by field: an EdgeRecord's padding bytes are indeterminate, and a saved state must not depend on them.
void save_edges(StateWriter& out, const std::vector<EdgeRecord>& edges) {
  out.pod(static_cast<std::uint64_t>(edges.size()));
  for (const EdgeRecord& e : edges)
    out.pod(e.source), out.pod(e.target), out.pod(e.type), out.pod(e.start), out.pod(e.end);
}
void restore_edges(StateReader& in, std::vector<EdgeRecord>& edges) {
  constexpr std::size_t kBytes = 2 * sizeof(AgentId) + sizeof(EdgeType) + 2 * sizeof(double);
  const auto n = in.get<std::uint64_t>();
  in.expect(n <= in.left() / kBytes, "is truncated or malformed (an edge list runs past its end)");
  edges.assign(static_cast<std::size_t>(n), EdgeRecord{});
  for (EdgeRecord& e : edges) in.pod(e.source), in.pod(e.target), in.pod(e.type), in.pod(e.start), in.pod(e.end);
}
struct EdgeProperties {
  EdgeType type;
  double start;
};
// vecS edge lists iterate in insertion order, which keeps neighbour visits deterministic. Bidirectional,
// because models ask "which spaces are in this city" (in-edges) as often as "where is this space".
using Graph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, boost::no_property, EdgeProperties>;
using Vertex = boost::graph_traits<Graph>::vertex_descriptor;
}  // namespace

struct AgentGraph::Impl {
  // Boost vertices only for the agents that ever had an edge: in an agent-based model most agents (the
  // Gansu model's 120 k makers and team slots) have none, and a bidirectional vertex costs 56 bytes.
  Graph graph;
  std::vector<std::uint32_t> vertex_of;  // agent -> Boost vertex + 1; 0 while it has none
  std::vector<AgentId> agent_of;         // Boost vertex -> agent
  std::vector<EdgeRecord> removed;
  std::vector<std::size_t> count_by_type, created_by_type;

  void check(AgentId id) const {
    if (id >= vertex_of.size())
      throw std::out_of_range("agent graph: vertex " + std::to_string(id) + " does not exist");
  }
  /// The agent's Boost vertex, or none (an agent without a vertex has no edges).
  std::optional<Vertex> find(AgentId id) const {
    check(id);
    if (vertex_of[id] == 0) return std::nullopt;
    return static_cast<Vertex>(vertex_of[id] - 1);
  }
  Vertex vertex(AgentId id) {
    check(id);
    if (vertex_of[id] == 0) {
      vertex_of[id] = static_cast<std::uint32_t>(boost::add_vertex(graph)) + 1;
      agent_of.push_back(id);
    }
    return static_cast<Vertex>(vertex_of[id] - 1);
  }
};

AgentGraph::AgentGraph(std::size_t vertices) : impl_(std::make_unique<Impl>()) { resize(vertices); }
AgentGraph::~AgentGraph() = default;
AgentGraph::AgentGraph(AgentGraph&&) noexcept = default;
AgentGraph& AgentGraph::operator=(AgentGraph&&) noexcept = default;

void AgentGraph::resize(std::size_t vertices) {
  if (vertices > impl_->vertex_of.size()) impl_->vertex_of.resize(vertices, 0);
}
void AgentGraph::reserve(std::size_t vertices) { impl_->vertex_of.reserve(vertices); }
std::size_t AgentGraph::vertex_count() const { return impl_->vertex_of.size(); }
std::size_t AgentGraph::edge_count() const { return boost::num_edges(impl_->graph); }
std::size_t AgentGraph::edge_count(EdgeType type) const {
  return type < impl_->count_by_type.size() ? impl_->count_by_type[type] : 0;
}
std::size_t AgentGraph::created_count(EdgeType type) const {
  return type < impl_->created_by_type.size() ? impl_->created_by_type[type] : 0;
}

void AgentGraph::add_edge(AgentId source, AgentId target, EdgeType type, double time) {
  impl_->check(source);
  impl_->check(target);
  const Vertex s = impl_->vertex(source), t = impl_->vertex(target);
  boost::add_edge(s, t, EdgeProperties{type, time}, impl_->graph);
  if (impl_->count_by_type.size() <= type) {
    impl_->count_by_type.resize(type + 1u, 0);
    impl_->created_by_type.resize(type + 1u, 0);
  }
  ++impl_->count_by_type[type];
  ++impl_->created_by_type[type];
}

bool AgentGraph::remove_edge(AgentId source, AgentId target, EdgeType type, double time) {
  const auto s = impl_->find(source);
  if (!s) return false;
  auto& g = impl_->graph;
  auto [it, end] = boost::out_edges(*s, g);
  for (; it != end; ++it) {
    if (impl_->agent_of[boost::target(*it, g)] == target && g[*it].type == type) {
      if (keep_history_) impl_->removed.push_back({source, target, type, g[*it].start, time});
      boost::remove_edge(*it, g);
      --impl_->count_by_type[type];
      return true;
    }
  }
  return false;
}

void AgentGraph::apply(std::span<const GraphEdit> edits) {
  for (const GraphEdit& e : edits) {
    if (e.add)
      add_edge(e.source, e.target, e.type, e.time);
    else
      remove_edge(e.source, e.target, e.type, e.time);
  }
}

bool AgentGraph::has_edge(AgentId source, AgentId target, EdgeType type) const {
  const auto s = impl_->find(source);
  if (!s) return false;
  const auto& g = impl_->graph;
  for (auto [it, end] = boost::out_edges(*s, g); it != end; ++it)
    if (impl_->agent_of[boost::target(*it, g)] == target && g[*it].type == type) return true;
  return false;
}

std::size_t AgentGraph::out_degree(AgentId source, EdgeType type) const {
  const auto s = impl_->find(source);
  if (!s) return 0;
  const auto& g = impl_->graph;
  std::size_t n = 0;
  for (auto [it, end] = boost::out_edges(*s, g); it != end; ++it) n += g[*it].type == type;
  return n;
}

void AgentGraph::for_each_out(AgentId source, EdgeType type, const std::function<void(AgentId, double)>& visit) const {
  const auto s = impl_->find(source);
  if (!s) return;
  const auto& g = impl_->graph;
  for (auto [it, end] = boost::out_edges(*s, g); it != end; ++it)
    if (g[*it].type == type) visit(impl_->agent_of[boost::target(*it, g)], g[*it].start);
}

std::size_t AgentGraph::in_degree(AgentId target, EdgeType type) const {
  const auto t = impl_->find(target);
  if (!t) return 0;
  const auto& g = impl_->graph;
  std::size_t n = 0;
  for (auto [it, end] = boost::in_edges(*t, g); it != end; ++it) n += g[*it].type == type;
  return n;
}

std::size_t AgentGraph::in_degree(AgentId target) const {
  const auto t = impl_->find(target);
  return t ? boost::in_degree(*t, impl_->graph) : 0;
}

EdgeRecord AgentGraph::in_edge(AgentId target, std::size_t i) const {
  const auto t = impl_->find(target);
  const auto& g = impl_->graph;
  if (!t || i >= boost::in_degree(*t, g)) throw std::out_of_range("agent graph: in-edge index out of range");
  const auto e = *(boost::in_edges(*t, g).first + static_cast<std::ptrdiff_t>(i));
  return {impl_->agent_of[boost::source(e, g)], target, g[e].type, g[e].start};
}

void AgentGraph::for_each_in(AgentId target, EdgeType type, const std::function<void(AgentId, double)>& visit) const {
  const auto t = impl_->find(target);
  if (!t) return;
  const auto& g = impl_->graph;
  for (auto [it, end] = boost::in_edges(*t, g); it != end; ++it)
    if (g[*it].type == type) visit(impl_->agent_of[boost::source(*it, g)], g[*it].start);
}

std::vector<EdgeRecord> AgentGraph::edges() const {
  const auto& g = impl_->graph;
  std::vector<EdgeRecord> out(impl_->removed);
  out.reserve(out.size() + boost::num_edges(g));
  for (auto [it, end] = boost::edges(g); it != end; ++it)
    out.push_back(
        {impl_->agent_of[boost::source(*it, g)], impl_->agent_of[boost::target(*it, g)], g[*it].type, g[*it].start});
  return out;
}

// Removal keeps the order of the other edges in Boost's edge list and in every vertex's out- and in-lists (vector
// erase), so each is the insertion order of the live edges: adding them again in edge-list order, to vertices made
// in the saved order, rebuilds the same lists (AgentGraphTest checks every walk).
void AgentGraph::save(StateWriter& out) const {
  const Impl& s = *impl_;
  const auto& g = s.graph;
  out.pod(static_cast<std::uint64_t>(s.vertex_of.size()));
  out.vec(s.agent_of);
  std::vector<EdgeRecord> live;
  live.reserve(boost::num_edges(g));
  for (auto [it, end] = boost::edges(g); it != end; ++it)
    live.push_back({s.agent_of[boost::source(*it, g)], s.agent_of[boost::target(*it, g)], g[*it].type, g[*it].start});
  save_edges(out, live);
  save_edges(out, s.removed);
  out.vec(s.count_by_type);
  out.vec(s.created_by_type);
  out.pod(static_cast<std::uint8_t>(keep_history_));
}

void AgentGraph::restore(StateReader& in) {
  auto fresh = std::make_unique<Impl>();
  Impl& s = *fresh;
  const auto vertices = in.get<std::uint64_t>();
  std::vector<AgentId> agents;
  in.vec(agents);
  in.expect(vertices < (std::uint64_t{1} << 32) && agents.size() <= vertices, "has a malformed graph");
  s.vertex_of.assign(static_cast<std::size_t>(vertices), 0);
  for (const AgentId a : agents) {
    in.expect(a < vertices && s.vertex_of[a] == 0, "has a malformed graph (vertex list)");
    s.vertex(a);
  }
  std::vector<EdgeRecord> live;
  restore_edges(in, live);
  for (const EdgeRecord& e : live) {
    in.expect(e.source < vertices && e.target < vertices && s.vertex_of[e.source] && s.vertex_of[e.target],
              "has a malformed graph (an edge between unknown vertices)");
    boost::add_edge(s.vertex(e.source), s.vertex(e.target), EdgeProperties{e.type, e.start}, s.graph);
  }
  restore_edges(in, s.removed);
  in.vec(s.count_by_type);
  in.vec(s.created_by_type);
  in.expect(s.count_by_type.size() == s.created_by_type.size(), "has a malformed graph (edge counts)");
  keep_history_ = in.get<std::uint8_t>() != 0;
  impl_ = std::move(fresh);
}

}  // namespace innosim::sim
