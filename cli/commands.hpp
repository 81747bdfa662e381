// Subcommand registration for the `stele` CLI: each component adds its commands in its own file.
#pragma once

#include <CLI/CLI.hpp>

namespace stele::cli
{
// Each registers a subcommand on app; the callback sets exit_code.
void register_elf(CLI::App& app, int& exit_code);
void register_spec(CLI::App& app, int& exit_code);
void register_release(CLI::App& app, int& exit_code);
void register_run(CLI::App& app, int& exit_code);
void register_validate(CLI::App& app, int& exit_code);
void register_witness(CLI::App& app, int& exit_code);
// Adds `witness canonicalize` to the `witness` command (after register_witness).
void register_witness_canonicalize(CLI::App& app, int& exit_code);
// Adds `witness serve` to the `witness` command (after register_witness).
void register_witness_serve(CLI::App& app, int& exit_code);
// Adds `witness fetch` to the `witness` command (after register_witness).
void register_witness_fetch(CLI::App& app, int& exit_code);
void register_input(CLI::App& app, int& exit_code);
void register_chain(CLI::App& app, int& exit_code);
// `report merge`: joins the --jsonl files of a sharded `spec run` (cmd_report.cpp).
void register_report(CLI::App& app, int& exit_code);
}  // namespace stele::cli
