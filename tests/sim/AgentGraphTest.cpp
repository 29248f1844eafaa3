#include <gtest/gtest.h>

#include "sim/AgentGraph.hpp"

using namespace innosim::sim;

TEST(AgentGraph, AddsRemovesAndCountsTypedEdges) {
  AgentGraph g(4);
  g.keep_history(true);
  g.add_edge(0, 1, 7, 1.0);
  g.add_edge(0, 1, 8, 2.0);
  g.add_edge(0, 2, 7, 3.0);
  EXPECT_EQ(g.edge_count(), 3u);
  EXPECT_EQ(g.edge_count(7), 2u);
  EXPECT_TRUE(g.has_edge(0, 1, 8));
  EXPECT_FALSE(g.has_edge(1, 0, 8));
  EXPECT_EQ(g.out_degree(0, 7), 2u);
  std::vector<AgentId> seen;
  g.for_each_out(0, 7, [&](AgentId t, double) { seen.push_back(t); });
  EXPECT_EQ(seen, (std::vector<AgentId>{1, 2}));
  EXPECT_EQ(g.in_degree(1, 7), 1u);
  std::vector<AgentId> sources;
  g.for_each_in(1, 8, [&](AgentId s, double) { sources.push_back(s); });
  EXPECT_EQ(sources, (std::vector<AgentId>{0}));
  EXPECT_EQ(g.in_degree(1), 2u);
  EXPECT_EQ(g.in_edge(1, 1).type, 8);
  EXPECT_EQ(g.in_edge(1, 1).source, 0u);
  EXPECT_THROW(g.in_edge(1, 2), std::out_of_range);
  EXPECT_TRUE(g.remove_edge(0, 1, 7, 5.0));
  EXPECT_EQ(g.in_degree(1, 7), 0u);
  EXPECT_FALSE(g.remove_edge(0, 1, 7, 5.0));
  EXPECT_TRUE(g.has_edge(0, 1, 8));
  EXPECT_EQ(g.edge_count(7), 1u);
  const auto all = g.edges();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].end, 5.0);  // the removed edge, with its lifetime
  EXPECT_EQ(all[0].start, 1.0);
  EXPECT_EQ(g.created_count(7), 2u);  // ever made, the removed one included
  EXPECT_EQ(g.created_count(8), 1u);
  EXPECT_EQ(g.created_count(99), 0u);
  EXPECT_THROW(g.add_edge(0, 9, 1, 0.0), std::out_of_range);
}

TEST(AgentGraph, WithoutHistoryRemovedEdgesAreForgottenButCounted) {
  AgentGraph g(3);
  g.add_edge(0, 1, 2, 1.0);
  g.add_edge(0, 2, 2, 1.5);
  EXPECT_TRUE(g.remove_edge(0, 1, 2, 3.0));
  const auto all = g.edges();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].target, 2u);
  EXPECT_EQ(g.created_count(2), 2u);
  EXPECT_EQ(g.edge_count(2), 1u);
}

TEST(AgentGraph, ReserveThenResizeInRangesKeepsVerticesAndEdges) {
  AgentGraph g;
  g.reserve(1000);
  EXPECT_EQ(g.vertex_count(), 0u);
  g.resize(10);
  g.add_edge(1, 9, 2, 0.5);
  g.resize(5);  // never shrinks
  EXPECT_EQ(g.vertex_count(), 10u);
  g.resize(1000);
  g.add_edge(999, 1, 2, 1.0);
  EXPECT_EQ(g.vertex_count(), 1000u);
  EXPECT_TRUE(g.has_edge(1, 9, 2));
  EXPECT_TRUE(g.has_edge(999, 1, 2));
  EXPECT_EQ(g.in_degree(1, 2), 1u);
}

// Boost holds only agents that had an edge, made in the order edges reach them: every answer is still in agent
// ids, and an agent without edges answers as an agent with none.
TEST(AgentGraph, AgentsWithoutEdgesAnswerAsEmptyAndIdsSurviveTheCompactStorage) {
  AgentGraph g(100);
  g.keep_history(true);
  g.add_edge(90, 7, 1, 1.0);
  g.add_edge(42, 90, 2, 2.0);
  g.add_edge(7, 42, 1, 3.0);
  for (AgentId quiet : {0u, 8u, 99u}) {
    EXPECT_EQ(g.in_degree(quiet), 0u);
    EXPECT_EQ(g.in_degree(quiet, 1), 0u);
    EXPECT_EQ(g.out_degree(quiet, 1), 0u);
    EXPECT_FALSE(g.has_edge(quiet, 7, 1));
    EXPECT_FALSE(g.remove_edge(quiet, 7, 1, 4.0));
    EXPECT_THROW(g.in_edge(quiet, 0), std::out_of_range);
    g.for_each_out(quiet, 1, [](AgentId, double) { ADD_FAILURE(); });
    g.for_each_in(quiet, 1, [](AgentId, double) { ADD_FAILURE(); });
  }
  EXPECT_EQ(g.in_edge(90, 0).source, 42u);
  EXPECT_EQ(g.in_edge(7, 0).source, 90u);
  std::vector<AgentId> out;
  g.for_each_out(7, 1, [&](AgentId t, double) { out.push_back(t); });
  EXPECT_EQ(out, (std::vector<AgentId>{42}));
  EXPECT_TRUE(g.remove_edge(42, 90, 2, 5.0));
  const auto all = g.edges();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].source, 42u);  // the removed edge
  EXPECT_EQ(all[0].target, 90u);
  EXPECT_EQ(all[0].end, 5.0);
  EXPECT_EQ(all[1].source, 90u);
  EXPECT_EQ(all[1].target, 7u);
  EXPECT_EQ(all[2].source, 7u);
  EXPECT_EQ(all[2].target, 42u);
  EXPECT_EQ(g.vertex_count(), 100u);
  EXPECT_THROW(g.out_degree(100, 1), std::out_of_range);
}
