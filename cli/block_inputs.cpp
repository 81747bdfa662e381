#include "block_inputs.hpp"

#include <stateless/core/hex.hpp>
#include <stateless/validate/payload.hpp>
#include <witness-rpc/witness_gen.hpp>

#include "eest_fixture.hpp"

namespace stele::cli
{
namespace
{
// The payload shape of an engine fork (Paris … Osaka; the BPO forks share Osaka's rules).
std::optional<stateless::Fork> payload_fork_of(Fork f) noexcept
{
    using F = stateless::Fork;
    switch (f)
    {
        case Fork::Paris:
            return F::paris;
        case Fork::Shanghai:
            return F::shanghai;
        case Fork::Cancun:
            return F::cancun;
        case Fork::Prague:
            return F::prague;
        case Fork::Osaka:
            return F::osaka;
        case Fork::Amsterdam:
            return F::amsterdam;
        default:
            return std::nullopt;
    }
}

// One fork's rules from genesis on; from Paris on with the mainnet blob parameters of that fork
// (the table the guest uses too: stateless::chain_config_for).
bool single_fork(const std::string& name, chain::ChainConfig& c)
{
    const std::optional<Fork> fork = parse_fork(name);
    if (!fork || (name.starts_with("BPO") && name != "BPO1" && name != "BPO2"))
        return false;
    std::optional<stateless::Fork> payload = payload_fork_of(*fork);
    if (name == "BPO1")
        payload = stateless::Fork::bpo1;
    else if (name == "BPO2")
        payload = stateless::Fork::bpo2;
    if (!payload)
    {
        c.schedule = {{*fork, false, 0, {}}};
        return true;
    }
    const auto config = stateless::chain_config_for(*payload, c.chain_id);
    if (!config)
        return false;
    c.schedule = config->schedule;
    return true;
}
}  // namespace

void add_chain_options(CLI::App& cmd, ChainOptions& o)
{
    cmd.add_option("--chain-config", o.chain_config,
        "Chain configuration: a built-in network (mainnet, sepolia, hoodi) or a geth genesis / "
        "config JSON file (default: the built-in network of --chain-id, mainnet)");
    cmd.add_option("--fork", o.fork,
        "Override the fork schedule with one fork's rules from genesis on (Frontier … Osaka, "
        "BPO1, BPO2, Amsterdam)");
    cmd.add_option("--chain-id", o.chain_id, "Chain id (default: the configuration's, or 1)");
}

std::string resolve_chain(const ChainOptions& o, witness::ChainSpec& spec)
{
    if (!o.chain_config.empty())
    {
        if (const auto r = witness::load_chain_config(o.chain_config, spec); !r.ok())
            return "chain configuration: " + std::string{witness::to_string(r.code)} + ": " +
                   r.message;
    }
    else
    {
        const uint64_t id = o.chain_id.value_or(1);
        if (const auto name = witness::builtin_network_name(id))
        {
            if (const auto r = witness::builtin_chain_config(*name, spec); !r.ok())
                return "built-in chain configuration: " + r.message;
        }
        else if (o.fork.empty())
            return "no built-in network has chain id " + std::to_string(id) +
                   ": give --chain-config FILE or --fork NAME";
        else
            spec.name = "chain " + std::to_string(id);
    }
    if (o.chain_id)
        spec.config.chain_id = *o.chain_id;
    if (!o.fork.empty())
    {
        if (!single_fork(o.fork, spec.config))
            return "unknown fork " + o.fork +
                   " (Frontier … Paris, Shanghai, Cancun, Prague, Osaka, BPO1, BPO2, Amsterdam)";
        spec.unsupported.reset();
    }
    return "";
}

std::string load_block(const std::string& path, bytes& rlp)
{
    if (const auto r = witness::load_block_file(path, rlp); !r.ok())
        return "block: " + std::string{witness::to_string(r.code)} + ": " + r.message;
    return "";
}

std::string load_witness(const std::string& path, witness::ExecutionWitness& w)
{
    witness::ParseError err;
    witness::ParseOptions options;
    options.header_encoder = witness::json_header_encoder();
    if (!witness::load_witness_file(path, w, err, options))
        return "witness: " + std::string{witness::to_string(err.code)} + ": " + err.message;
    return "";
}

std::string load_inputs(const std::string& block_path, const std::string& witness_path,
    const ChainOptions& o, BlockInputs& out)
{
    std::string e = resolve_chain(o, out.spec);
    if (e.empty())
        e = load_block(block_path, out.rlp);
    if (e.empty())
        e = load_witness(witness_path, out.witness);
    return e;
}

std::string check_supported(const witness::ChainSpec& spec, uint64_t number, uint64_t timestamp)
{
    if (!spec.beyond_supported(number, timestamp))
        return "";
    const auto& u = *spec.unsupported;
    return "block " + std::to_string(number) + " (timestamp " + std::to_string(timestamp) +
           ") falls under " + u.fork + " (from " + (u.by_timestamp ? "timestamp " : "block ") +
           std::to_string(u.at) + " on " + spec.name +
           "), which stele does not implement (latest: " + std::string{fork_name(kLatestFork)} +
           ")";
}

std::optional<stateless::Fork> payload_fork(
    const ChainOptions& o, const witness::ChainSpec& spec, uint64_t number, uint64_t timestamp)
{
    using F = stateless::Fork;
    if (!o.fork.empty())
    {
        for (const F f :
            {F::paris, F::shanghai, F::cancun, F::prague, F::osaka, F::bpo1, F::bpo2, F::amsterdam})
            if (stateless::to_string(f) == o.fork)
                return f;
        return std::nullopt;
    }
    return payload_fork_at(spec.config, number, timestamp);
}

std::optional<stateless::Fork> payload_fork_at(
    const chain::ChainConfig& config, uint64_t number, uint64_t timestamp)
{
    using F = stateless::Fork;
    const chain::ForkActivation& rules = config.rules_at(number, timestamp);
    if (rules.fork != Fork::Osaka)
        return payload_fork_of(rules.fork);
    // Osaka and the blob-parameter-only forks share Osaka's rules: the one whose (mainnet) blob
    // parameters these are, as the guest rebuilds its config from the fork alone
    // (stateless::chain_config_for); else by position, the n-th Osaka-rules entry.
    static constexpr F osaka_forks[] = {F::osaka, F::bpo1, F::bpo2};
    for (const F f : osaka_forks)
        if (const auto c = stateless::chain_config_for(f, config.chain_id);
            c && c->schedule[0].blob.target == rules.blob.target &&
            c->schedule[0].blob.max == rules.blob.max &&
            c->schedule[0].blob.update_fraction == rules.blob.update_fraction)
            return f;
    size_t index = 0;
    for (const chain::ForkActivation& a : config.schedule)
    {
        if (&a == &rules)
            break;
        index += a.fork == Fork::Osaka;
    }
    return index < 3 ? std::optional{osaka_forks[index]} : std::nullopt;
}
std::string describe_witness_problem(const stateless::ValidationResult& r)
{
    using stateless::Status;
    std::string s = stateless::status_name(r.status);
    switch (r.status)
    {
        case Status::missing_trie_node:
        case Status::missing_code:
        case Status::invalid_trie_node:
        case Status::invalid_account:
            s.append(" ").append(to_hex0x(r.missing_hash));
            if (r.missing.step != stateless::MissingStep::none)
            {
                const bool storage = r.missing.step == stateless::MissingStep::storage_read ||
                                     r.missing.step == stateless::MissingStep::storage_update;
                s.append(storage ? " (storage " : " (account ").append(to_hex0x(r.missing.account));
                if (r.missing.has_slot)
                {
                    uint8_t k[32];
                    store_be(k, r.missing.slot);
                    s.append("[").append(to_hex0x(bytes_view{k, 32})).append("]");
                }
                s.append(", ").append(stateless::missing_step_name(r.missing.step));
                if (r.missing.why)
                    s.append(": ").append(r.missing.why);
                s.append(")");
            }
            break;
        case Status::missing_ancestor_header:
            s.append(" ").append(std::to_string(r.missing_number));
            break;
        default:
            break;
    }
    return s;
}
}  // namespace stele::cli
