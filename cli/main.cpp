// stele: the command-line front end of the stele toolchain.
#include <cstdio>
#include <witness-rpc/threads.hpp>

#include "commands.hpp"

namespace
{
int run(int argc, char** argv)
{
    CLI::App app{
        "stele: Ethereum stateless block validation for zkVMs.\n"
        "Builds, runs and measures RV64IM guest programs; see `stele <command> --help`.",
        "stele"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string{"stele " STELE_VERSION});
    int exit_code = 0;
    stele::cli::register_elf(app, exit_code);
    stele::cli::register_spec(app, exit_code);
    stele::cli::register_release(app, exit_code);
    stele::cli::register_run(app, exit_code);
    stele::cli::register_validate(app, exit_code);
    stele::cli::register_witness(app, exit_code);
    stele::cli::register_witness_canonicalize(app, exit_code);
    stele::cli::register_witness_serve(app, exit_code);
    stele::cli::register_witness_fetch(app, exit_code);
    stele::cli::register_input(app, exit_code);
    stele::cli::register_chain(app, exit_code);
    stele::cli::register_report(app, exit_code);
    try
    {
        app.parse(argc, argv);
    }
    catch (const CLI::ParseError& e)
    {
        return app.exit(e) == 0 ? 0 : 2;
    }
    return exit_code;
}
}  // namespace

int main(int argc, char** argv)
{
    // Every command runs on a thread with the execution stack: a block may nest 1,024 calls,
    // and sanitizer builds make each interpreter frame several times larger than the default
    // 8 MiB main-thread stack allows.
    int rc = 0;
    stele::witness::run_with_stack([&] { rc = run(argc, argv); });
    return rc;
}
