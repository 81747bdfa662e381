// `stele witness serve --datadir DIR`: the JSON-RPC server (witness-rpc/rpc_server.hpp) over a
// chain store written by `stele chain import`.
#include <cstdio>
#include <witness-rpc/rpc_server.hpp>
#include <witness-rpc/store.hpp>

#include "commands.hpp"
#include "host_crypto.hpp"

namespace stele::cli
{
namespace
{
constexpr int exit_bind = 1;
constexpr int exit_store = 3;

bool is_loopback(const std::string& a)
{
    return a == "127.0.0.1" || a == "localhost" || a == "::1" || a.rfind("127.", 0) == 0;
}
}  // namespace

void register_witness_serve(CLI::App& app, int& exit_code)
{
    struct Opts
    {
        std::string datadir, addr = "127.0.0.1";
        int port = 8545;
        bool expose = false;
        witness::RpcLimits limits;
    };
    auto o = std::make_shared<Opts>();
    auto* s = app.get_subcommand("witness")->add_subcommand("serve",
        "Serve debug_executionWitness and the eth_/debug_ read methods over JSON-RPC (HTTP POST)\n"
        "from a chain store. Binds loopback unless --http.addr names another address, which\n"
        "also needs --http.expose: the server has no authentication, and anyone who reaches it\n"
        "can read the whole stored chain and make it re-execute blocks.");
    s->add_option("--datadir", o->datadir, "Chain store directory")->required();
    s->add_option("--http.addr", o->addr, "Listening address")->capture_default_str();
    s->add_option("--http.port", o->port, "Listening port (0: any free port)")
        ->check(CLI::Range(0, 65535))
        ->capture_default_str();
    s->add_flag("--http.expose", o->expose, "Allow a non-loopback --http.addr");
    s->add_option("--http.body-limit", o->limits.max_body, "Largest request body in bytes")
        ->check(CLI::Range(size_t{64}, size_t{1} << 30))
        ->capture_default_str();
    s->add_option("--rpc.batch-request-limit", o->limits.max_batch, "Most requests per batch")
        ->check(CLI::Range(size_t{1}, size_t{1} << 20))
        ->capture_default_str();
    s->add_option("--rpc.batch-response-max-size", o->limits.max_batch_response,
         "Largest batch response in bytes")
        ->check(CLI::Range(size_t{1024}, size_t{1} << 32))
        ->capture_default_str();
    s->footer(
        "Prints \"listening on http://ADDR:PORT\" once the port is bound.\n"
        "Exit status: 1 the address cannot be bound, 2 usage, 3 chain store error.");
    s->callback(
        [o, &exit_code]
        {
            if (!is_loopback(o->addr) && !o->expose)
            {
                std::fprintf(stderr,
                    "--http.addr %s is not loopback: add --http.expose to serve it (no "
                    "authentication)\n",
                    o->addr.c_str());
                exit_code = 2;
                return;
            }
            std::string err;
            auto store =
                witness::ChainStore::open_configured(o->datadir, recover_address_host, err);
            if (!store)
            {
                std::fprintf(stderr, "%s\n", err.c_str());
                exit_code = exit_store;
                return;
            }
            const witness::RpcServer server{
                *store, recover_address_host, store->stored_config().value_or(""), o->limits};
            struct Ctx
            {
                const std::string* addr;
            } ctx{&o->addr};
            const bool ok = server.serve_http(
                o->addr, o->port, err,
                [](int port, void* c)
                {
                    std::printf(
                        "listening on http://%s:%d\n", static_cast<Ctx*>(c)->addr->c_str(), port);
                    std::fflush(stdout);
                },
                &ctx);
            if (!ok)
            {
                std::fprintf(stderr, "%s\n", err.c_str());
                exit_code = exit_bind;
            }
        });
}
}  // namespace stele::cli
