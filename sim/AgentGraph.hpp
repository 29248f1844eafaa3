// The agent graph: one vertex per agent, typed directed edges (walkable both ways) with start (and end) times, on
// Boost.Graph.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <span>
#include <vector>

#include "sim/Event.hpp"

namespace innosim::sim {

class StateWriter;
class StateReader;

using EdgeType = std::uint16_t;

/// An edge as reported to recorders: `end` is +inf while the edge is live.
struct EdgeRecord {
  AgentId source = 0;
  AgentId target = 0;
  EdgeType type = 0;
  double start = 0;
  double end = std::numeric_limits<double>::infinity();
};

/// A graph edit asked for during a window, applied in (time, tie, index) order at the window's end.
struct GraphEdit {
  double time;
  std::uint64_t tie;
  std::uint32_t index;
  bool add;
  AgentId source;
  AgentId target;
  EdgeType type;
};

/// Vertex i is agent i (its type is the agent's type). Boost stays in the .cpp: users see ids only; Boost
/// stores only the agents that ever had an edge (4 bytes for each of the others).
/// Not synchronised: the engine edits it only between windows and handlers only read it.
class AgentGraph {
 public:
  explicit AgentGraph(std::size_t vertices = 0);
  ~AgentGraph();
  AgentGraph(AgentGraph&&) noexcept;
  AgentGraph& operator=(AgentGraph&&) noexcept;
  AgentGraph(const AgentGraph&) = delete;
  AgentGraph& operator=(const AgentGraph&) = delete;

  /// Vertices for agents [0, vertices): cheap, as an agent's storage is made at its first edge.
  void resize(std::size_t vertices);
  /// Room for this many vertices, so that growing to them moves none.
  void reserve(std::size_t vertices);
  std::size_t vertex_count() const;
  std::size_t edge_count() const;
  std::size_t edge_count(EdgeType type) const;
  /// Edges of this type ever added, live or removed (kept whether or not history is).
  std::size_t created_count(EdgeType type) const;

  void add_edge(AgentId source, AgentId target, EdgeType type, double time);
  /// Removes one live edge source->target of this type; false when there is none.
  bool remove_edge(AgentId source, AgentId target, EdgeType type, double time);
  /// Applies the edits in order, each an add_edge or remove_edge at its time.
  void apply(std::span<const GraphEdit> edits);
  bool has_edge(AgentId source, AgentId target, EdgeType type) const;
  std::size_t out_degree(AgentId source, EdgeType type) const;
  /// Calls `visit(target, start)` for each live edge of this type out of `source`, in insertion order.
  void for_each_out(AgentId source, EdgeType type, const std::function<void(AgentId, double)>& visit) const;

  std::size_t in_degree(AgentId target, EdgeType type) const;
  /// All in-edges of a vertex, whatever their type, and the i-th of them (O(1)): lets a model pick a random
  /// neighbour without copying a list, where one relation is the only one pointing at a vertex.
  std::size_t in_degree(AgentId target) const;
  EdgeRecord in_edge(AgentId target, std::size_t i) const;
  /// Calls `visit(source, start)` for each live edge of this type into `target`, in insertion order.
  void for_each_in(AgentId target, EdgeType type, const std::function<void(AgentId, double)>& visit) const;

  /// Every edge ever made: the live ones and, when history is kept, the removed ones with their end time.
  std::vector<EdgeRecord> edges() const;
  /// The whole graph (vertices, live edges in their order, the removed edges' history, counts), bit for bit.
  void save(StateWriter& out) const;
  /// Replaces this graph with a saved one: every walk, in_edge(i) and edges() then gives what the saved one did.
  void restore(StateReader& in);
  /// Keep removed edges for edges(): memory grows with every removal, so only when the history is wanted.
  void keep_history(bool on) { keep_history_ = on; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  bool keep_history_ = false;
};

}  // namespace innosim::sim
