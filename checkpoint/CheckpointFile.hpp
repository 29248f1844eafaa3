// A run's checkpoint file: its finished replications and the saved state of each unfinished one, to resume from.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace innosim::checkpoint {

/// A checkpoint that cannot be resumed: the message names the file and what is wrong with it.
class CheckpointError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline constexpr std::uint32_t kFormatVersion = 1;

/// Everything a run needs to go on: where its scenario comes from (re-read and checked against its hash on
/// resume), where it writes, and how far each replication got.
struct RunCheckpoint {
  std::string build;          // the innosim version and commit that wrote it: only that build resumes it
  std::string scenario_path;  // absolute
  std::vector<std::string> overrides;
  std::uint64_t scenario_hash = 0;  // of the resolved scenario and its pinned keys
  std::string output;               // the result file ("" with --no-output)
  std::string every;                // --checkpoint-every as given ("" if none)
  bool snapshots = false;
  std::uint32_t units = 0;  // replications (x design points) in all
  std::uint32_t ranks = 1;  // MPI ranks of the run that wrote it (resume may use any number)
  std::map<std::uint32_t, std::vector<char>> finished;  // replication -> its encoded outcome
  struct Running {
    double time = 0;          // simulated day the state was saved at
    std::vector<char> state;  // GansuModel's saved state
  };
  std::map<std::uint32_t, Running> running;  // replication -> its latest saved state
};

/// A stable 64-bit hash of text (FNV-1a): the scenario's identity across processes and ranks.
std::uint64_t text_hash(const std::string& text);

/// Writes atomically (PATH.tmp, fsync, rename), so PATH always holds a whole checkpoint, even after a kill.
/// Returns the bytes written.
std::uint64_t write_checkpoint(const std::string& path, const RunCheckpoint& c);
/// Reads and checks a checkpoint: format, length, checksum (CRC-32 of the whole contents) and the build that wrote
/// it. Throws CheckpointError naming the file and what is wrong: never reads past the end or crashes.
RunCheckpoint read_checkpoint(const std::string& path, const std::string& this_build);

}  // namespace innosim::checkpoint
