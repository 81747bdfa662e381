#include "eest_fixture.hpp"

#include <cstring>
#include <map>
#include <stateless/core/hex.hpp>
#include <stateless/core/keccak.hpp>

namespace stele::cli
{
// ---- JSON helpers --------------------------------------------------------------------------

std::string_view str(simdjson::dom::element e)
{
    std::string_view s;
    if (e.get_string().get(s))
        return {};
    return s;
}

std::string_view str(simdjson::simdjson_result<simdjson::dom::element> e)
{
    simdjson::dom::element v;
    if (e.get(v))
        return {};
    return str(v);
}

bytes hex_bytes(std::string_view s)
{
    if (s.starts_with("0x") || s.starts_with("0X"))
        s.remove_prefix(2);
    std::string tmp;
    if (s.size() % 2)
    {
        tmp.reserve(s.size() + 1);
        tmp.push_back('0');
        tmp.append(s);
        s = tmp;
    }
    auto b = from_hex(s);
    return b ? *b : bytes{};
}

uint256 hex_u256(std::string_view s)
{
    const bytes b = hex_bytes(s);
    if (b.size() > 32)
        return {};
    return load_be(b.data(), b.size());
}

// ---- forks ---------------------------------------------------------------------------------

std::optional<Fork> parse_fork(std::string_view n)
{
    static const std::map<std::string_view, Fork> forks = {{"Frontier", Fork::Frontier},
        {"Homestead", Fork::Homestead}, {"EIP150", Fork::TangerineWhistle},
        {"TangerineWhistle", Fork::TangerineWhistle}, {"EIP158", Fork::SpuriousDragon},
        {"SpuriousDragon", Fork::SpuriousDragon}, {"Byzantium", Fork::Byzantium},
        {"Constantinople", Fork::Constantinople}, {"ConstantinopleFix", Fork::Petersburg},
        {"Petersburg", Fork::Petersburg}, {"Istanbul", Fork::Istanbul}, {"Berlin", Fork::Berlin},
        {"London", Fork::London}, {"Paris", Fork::Paris}, {"Merge", Fork::Paris},
        {"Shanghai", Fork::Shanghai}, {"Cancun", Fork::Cancun}, {"Prague", Fork::Prague},
        {"Osaka", Fork::Osaka}, {"BPO1", Fork::Osaka}, {"BPO2", Fork::Osaka}, {"BPO3", Fork::Osaka},
        {"BPO4", Fork::Osaka}, {"BPO5", Fork::Osaka}, {"Amsterdam", Fork::Amsterdam}};
    const auto it = forks.find(n);
    if (it == forks.end())
        return std::nullopt;
    return it->second;
}

namespace
{
chain::BlobParams blob_params(simdjson::dom::element config, std::string_view fork_name)
{
    chain::BlobParams p;
    simdjson::dom::element e;
    if (config["blobSchedule"][fork_name].get(e))
        return p;
    p.target = hex_u256(str(e["target"])).w[0];
    p.max = hex_u256(str(e["max"])).w[0];
    p.update_fraction = hex_u256(str(e["baseFeeUpdateFraction"])).w[0];
    return p;
}

}  // namespace

bool build_config(std::string_view network, simdjson::dom::element config, chain::ChainConfig& c)
{
    simdjson::dom::element cid;
    if (!config["chainid"].get(cid))
        c.chain_id = hex_u256(str(cid)).w[0];
    // Transitions: <From>To<To>At<N> (block number) or <From>To<To>AtTime<N>[k] (timestamp).
    if (const size_t to_pos = network.find("To"), at_pos = network.rfind("At");
        to_pos != std::string_view::npos && at_pos != std::string_view::npos && to_pos < at_pos)
    {
        const auto from = parse_fork(network.substr(0, to_pos));
        const auto to = parse_fork(network.substr(to_pos + 2, at_pos - to_pos - 2));
        std::string_view when = network.substr(at_pos + 2);
        const bool by_time = when.starts_with("Time");
        if (by_time)
            when.remove_prefix(4);
        uint64_t multiplier = 1;
        if (when.ends_with("k"))
        {
            multiplier = 1000;
            when.remove_suffix(1);
        }
        uint64_t at = 0;
        if (!from || !to || when.empty())
            return false;
        for (char ch : when)
        {
            if (ch < '0' || ch > '9')
                return false;
            at = at * 10 + static_cast<uint64_t>(ch - '0');
        }
        at *= multiplier;
        const std::string from_name{network.substr(0, to_pos)};
        const std::string to_name{network.substr(to_pos + 2, at_pos - to_pos - 2)};
        c.schedule.push_back({*from, false, 0, blob_params(config, from_name)});
        chain::BlobParams bp = blob_params(config, to_name);
        if (bp.max == 0)
            bp = c.schedule.back().blob;
        c.schedule.push_back({*to, by_time, at, bp});
        return true;
    }
    const auto f = parse_fork(network);
    if (!f)
        return false;
    c.schedule.push_back({*f, false, 0, blob_params(config, network)});
    return true;
}

std::string load_pre_state(simdjson::dom::element t, state::InMemoryState& db)
{
    simdjson::dom::object pre;
    if (t["pre"].get(pre))
        return "no pre";
    for (auto [addr_s, acc] : pre)
    {
        const address addr = hex_fixed<20>(addr_s);
        state::AccountInfo info;
        info.nonce = hex_u256(str(acc["nonce"])).w[0];
        info.balance = hex_u256(str(acc["balance"]));
        const bytes code = hex_bytes(str(acc["code"]));
        if (!code.empty())
        {
            info.code_hash = keccak256(code);
            db.update_code(info.code_hash, code);
        }
        db.update_account(addr, &info, false);
        simdjson::dom::object storage;
        if (!acc["storage"].get(storage))
            for (auto [k, v] : storage)
                db.update_storage(addr, hex_u256(k), hex_u256(str(v)));
    }
    return "";
}

std::string load_genesis(
    simdjson::dom::element t, state::InMemoryState& db, chain::BlockHeader& genesis)
{
    const bytes g = hex_bytes(str(t["genesisRLP"]));
    if (chain::decode_header(g, genesis) != chain::Error::ok)
    {
        // genesisRLP is a whole block: [header, txs, ommers, ...].
        chain::Block gb;
        if (chain::decode_block(g, gb) != chain::Error::ok)
            return "genesisRLP does not decode";
        genesis = gb.header;
    }
    if (genesis.state_root != db.state_root())
        return "genesis stateRoot: pre-state root " + to_hex0x(db.state_root()) + " != header " +
               to_hex0x(genesis.state_root);
    return "";
}

std::string load_test_chain(simdjson::dom::element test, chain::ChainConfig& config,
    state::InMemoryState& db, chain::BlockHeader& genesis)
{
    const std::string_view network = str(test["network"]);
    simdjson::dom::element cfg;
    if (test["config"].get(cfg))
        cfg = test;
    if (!build_config(network, cfg, config))
        return "unknown network \"" + std::string{network} + "\"";
    if (std::string e = load_pre_state(test, db); !e.empty())
        return e;
    return load_genesis(test, db, genesis);
}

hash256 block_hash_from_headers(void* ctx, uint64_t number)
{
    const auto& hs = *static_cast<std::vector<chain::BlockHeader>*>(ctx);
    if (number < hs.size())
        return hs[number].hash;
    return {};
}
}  // namespace stele::cli
