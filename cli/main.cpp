// innosim's command line: one binary, one subcommand per job.
#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

#include "checkpoint/CheckpointFile.hpp"
#include "cli/Commands.hpp"
#include "config/ConfigValues.hpp"

int main(int argc, char** argv) {
  // Under mpirun every rank runs the same command line; rank 0 speaks for the job (errors are the same on every
  // rank). The launcher says which rank this is before MPI starts (only `run` starts it).
  const char* mpi_rank = std::getenv("OMPI_COMM_WORLD_RANK");
  if (!mpi_rank) mpi_rank = std::getenv("PMI_RANK");
  const bool speaks = !mpi_rank || std::string(mpi_rank) == "0";
  CLI::App app{"innosim " INNOSIM_VERSION " (" INNOSIM_GIT_COMMIT
               "): a parallel agent-based, discrete-event simulator of Gansu's maker-space plan"};
  app.require_subcommand(1);
  std::string command_line;
  for (int i = 0; i < argc; ++i) command_line += (i ? " " : "") + std::string(argv[i]);
  app.footer(
      "Examples:\n"
      "  innosim run scenarios/baseline.yaml -o baseline.h5 --replications 20\n"
      "  innosim run scenarios/no-plan.yaml --set policy.angel_investment.scale=2 --scale 0.1\n"
      "  innosim validate scenarios/finance-heavy.yaml\n"
      "  innosim keys            # every scenario key, its default, range and meaning\n"
      "  innosim report baseline.h5 --compare no-plan.h5\n"
      "  innosim optimise scenarios/optimise-t1.yaml -o optimise-t1\n"
      "  innosim run scenarios/baseline.yaml --checkpoint-every 6m   # then, if stopped: innosim resume "
      "baseline.h5.ckpt\n"
      "  innosim phold --lps 1024 --end 1000 --threads 2\n"
      "Bad input exits with code 2 and names the file, line and key.");
  std::vector<innosim::cli::Action> actions{innosim::cli::add_run_command(app, command_line),
                                            innosim::cli::add_resume_command(app, command_line),
                                            innosim::cli::add_validate_command(app),
                                            innosim::cli::add_keys_command(app),
                                            innosim::cli::add_report_command(app),
                                            innosim::cli::add_calibrate_command(app),
                                            innosim::cli::add_optimise_command(app),
                                            innosim::cli::add_phold_command(app)};
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    for (auto& action : actions)
      if (int rc = action(); rc >= 0) return rc;
  } catch (const innosim::config::ConfigError& e) {
    if (speaks) fmt::print(stderr, "innosim: error: {}\n", e.what());
    return 2;
  } catch (const innosim::checkpoint::CheckpointError& e) {
    if (speaks) fmt::print(stderr, "innosim: error: {}\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    if (speaks) fmt::print(stderr, "innosim: error: {}\n", e.what());
    return 1;
  }
  return 1;
}
