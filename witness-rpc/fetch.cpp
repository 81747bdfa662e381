#include "fetch.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <stateless/core/hex.hpp>
#include <stateless/core/keccak.hpp>
#include <stateless/core/rlp.hpp>
#include <stateless/evm/precompiles.hpp>
#include <stateless/state/state.hpp>
#include <stateless/trie/trie.hpp>
#include <stateless/validate/witness_trim.hpp>

#include "rpc_json.hpp"
#include "witness_gen.hpp"

namespace stele::witness
{
namespace
{
using json = nlohmann::json;

std::string qty(uint64_t v)
{
    char b[24];
    std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
    return b;
}

std::optional<bytes> hex_data(const json& v)
{
    if (!v.is_string())
        return std::nullopt;
    const std::string& s = v.get_ref<const std::string&>();
    if (s.size() < 2 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
        return std::nullopt;
    return from_hex(std::string_view{s}.substr(2));
}

std::optional<uint256> hex_quantity(const json& v)
{
    const auto b = hex_data(v.is_string() && v.get_ref<const std::string&>().size() % 2 == 1
                                ? json("0x0" + v.get<std::string>().substr(2))
                                : v);
    if (!b || b->size() > 32)
        return std::nullopt;
    return load_be(b->data(), b->size());
}

// ---- proofs ----------------------------------------------------------------------------------

struct Collected
{
    std::map<hash256, bytes> nodes;
    std::map<hash256, bytes> codes;
    std::map<uint64_t, bytes> headers;  // number → RLP
    // Storage roots seen in verified account proofs (for sibling searches in storage tries).
    std::map<address, hash256> storage_roots;
};

bytes encode_u256_rlp(const uint256& v)
{
    uint8_t be[32];
    store_be(be, v);
    bytes out;
    rlp::append_uint_be(out, {be, 32});
    return out;
}

// Checks an eth_getProof answer against `state_root` (the account) and the account's storage
// root (each slot), by resolving every key over the proof nodes alone, and keeps the nodes.
bool take_proof(
    const json& r, const address& addr, const hash256& state_root, Collected& c, std::string& error)
{
    const auto fail = [&](const std::string& what)
    {
        error = "eth_getProof(" + to_hex0x(addr.view()) + "): " + what;
        return false;
    };
    if (!r.is_object() || !r.contains("accountProof") || !r["accountProof"].is_array())
        return fail("no accountProof");
    std::vector<bytes> nodes;
    for (const json& n : r["accountProof"])
    {
        auto b = hex_data(n);
        if (!b)
            return fail("accountProof holds a non-hex item");
        nodes.push_back(std::move(*b));
    }
    trie::NodeStore store;
    for (const bytes& n : nodes)
        store.add(n);
    trie::Trie t{&store, state_root};
    const trie::GetResult g = t.get(keccak256(addr.view()).view());
    if (!g.status.ok())
        return fail("the account proof does not reach the account from the parent's state root");
    const auto balance = hex_quantity(r.value("balance", json{}));
    const auto nonce = hex_quantity(r.value("nonce", json{}));
    const auto sh = hex_data(r.value("storageHash", json{}));
    const auto ch = hex_data(r.value("codeHash", json{}));
    if (!balance || !nonce || !sh || sh->size() != 32 || !ch || ch->size() != 32)
        return fail("malformed balance / nonce / storageHash / codeHash");
    hash256 storage_root = hash256::from(*sh);
    if (g.found)
    {
        rlp::Decoder d{g.value};
        rlp::Decoder l = d.list();
        const uint64_t n = l.u64();
        const bytes_view bal = l.uint_be(32);
        const hash256 root = l.fixed<32>();
        const hash256 code = l.fixed<32>();
        l.finish();
        d.finish();
        if (!d.ok() || uint256{n} != *nonce || load_be(bal.data(), bal.size()) != *balance ||
            root != storage_root || code != hash256::from(*ch))
            return fail("the proven account differs from the answer's fields");
    }
    else if (!balance->is_zero() || !nonce->is_zero())
        return fail("the proof shows no account, the answer a non-empty one");
    else
        storage_root = trie::kEmptyRoot;
    for (bytes& n : nodes)
        c.nodes.emplace(keccak256(n), std::move(n));
    c.storage_roots[addr] = storage_root;
    if (const auto sp = r.find("storageProof"); sp != r.end() && sp->is_array())
        for (const json& s : *sp)
        {
            const auto key = hex_quantity(s.value("key", json{}));
            const auto value = hex_quantity(s.value("value", json{}));
            if (!key || !value || !s.contains("proof") || !s["proof"].is_array())
                return fail("malformed storageProof entry");
            std::vector<bytes> sn;
            for (const json& n : s["proof"])
            {
                auto b = hex_data(n);
                if (!b)
                    return fail("storage proof holds a non-hex item");
                sn.push_back(std::move(*b));
            }
            trie::NodeStore ss;
            for (const bytes& n : sn)
                ss.add(n);
            trie::Trie st{&ss, storage_root};
            uint8_t kb[32];
            store_be(kb, *key);
            const trie::GetResult sg = st.get(keccak256({kb, 32}).view());
            if (!sg.status.ok())
                return fail("a storage proof does not reach its slot from the storage root");
            if (sg.found ? bytes(sg.value.begin(), sg.value.end()) != encode_u256_rlp(*value)
                         : !value->is_zero())
                return fail("a proven storage value differs from the answer's");
            for (bytes& n : sn)
                c.nodes.emplace(keccak256(n), std::move(n));
        }
    return true;
}

// The nibble path from `root` to the reference of `target` through the collected nodes.
bool path_to(const Collected& c, bytes_view node, const hash256& target, std::vector<uint8_t>& path,
    int depth)
{
    if (depth > 64)
        return false;
    rlp::Decoder d{node};
    rlp::Decoder l = d.list();
    std::vector<bytes_view> items;
    std::vector<bool> lists;
    while (!l.at_end())
    {
        lists.push_back(l.next_is_list());
        items.push_back(l.raw());
    }
    if (!l.ok())
        return false;
    const auto child = [&](size_t i) -> bool
    {
        if (lists[i])
            return path_to(c, items[i], target, path, depth + 1);
        rlp::Decoder cd{items[i]};
        const bytes_view ref = cd.string();
        if (ref.size() != 32)
            return false;
        const hash256 h = hash256::from(ref);
        if (h == target)
            return true;
        const auto it = c.nodes.find(h);
        return it != c.nodes.end() && path_to(c, it->second, target, path, depth + 1);
    };
    if (items.size() == 17)
    {
        for (uint8_t i = 0; i < 16; ++i)
        {
            path.push_back(i);
            if (child(i))
                return true;
            path.pop_back();
        }
        return false;
    }
    if (items.size() != 2)
        return false;
    rlp::Decoder pd{items[0]};
    const bytes_view hp = pd.string();
    if (hp.empty() || (hp[0] >> 4) >= 2)
        return false;  // a leaf: no child
    const size_t before = path.size();
    if (hp[0] & 0x10)
        path.push_back(hp[0] & 0x0f);
    for (size_t i = 1; i < hp.size(); ++i)
    {
        path.push_back(hp[i] >> 4);
        path.push_back(hp[i] & 0x0f);
    }
    if (child(1))
        return true;
    path.resize(before);
    return false;
}

bool prefix_matches(const hash256& h, const std::vector<uint8_t>& nibbles)
{
    for (size_t i = 0; i < nibbles.size(); ++i)
        if (((i % 2 == 0) ? h.bytes[i / 2] >> 4 : h.bytes[i / 2] & 0x0f) != nibbles[i])
            return false;
    return true;
}

// The longest nibble prefix the sibling search takes on (16^7 keccaks, a few seconds).
constexpr size_t kMaxSearchNibbles = 7;

class ProofFetcher
{
public:
    ProofFetcher(RpcClient& rpc, const chain::Block& block, const chain::BlockHeader& parent,
        FetchReport& report)
        : m_rpc{rpc}, m_block{block}, m_parent{parent}, m_report{report}
    {
    }
    Collected c;

    // eth_getProof of (addr, slots) at the parent, for many at once.
    bool proofs(
        const std::vector<std::pair<address, std::vector<uint256>>>& want, std::string& error)
    {
        std::vector<RpcClient::Call> calls;
        for (const auto& [a, slots] : want)
        {
            json keys = json::array();
            for (const uint256& s : slots)
            {
                uint8_t be[32];
                store_be(be, s);
                keys.push_back(to_hex0x(bytes_view{be, 32}));
            }
            calls.push_back({"eth_getProof",
                json::array({to_hex0x(a.view()), keys, qty(m_parent.number)}), {}, {}, false});
        }
        m_rpc.call_all(calls);
        for (size_t i = 0; i < calls.size(); ++i)
        {
            if (!calls[i].ok)
            {
                error = calls[i].error.message;
                return false;
            }
            ++m_report.proofs;
            if (!take_proof(calls[i].result, want[i].first, m_parent.state_root, c, error))
                return false;
        }
        return true;
    }
    bool code_of(const address& a, const hash256& want, std::string& error)
    {
        json r;
        RpcCallError e;
        if (!m_rpc.call(
                "eth_getCode", json::array({to_hex0x(a.view()), qty(m_parent.number)}), r, e))
        {
            error = e.message;
            return false;
        }
        auto code = hex_data(r);
        if (!code || keccak256(*code) != want)
        {
            error = "eth_getCode(" + to_hex0x(a.view()) +
                    "): the code does not hash to the account's code hash";
            return false;
        }
        ++m_report.codes;
        c.codes.emplace(want, std::move(*code));
        return true;
    }
    bool header(uint64_t n, std::string& error)
    {
        json r;
        RpcCallError e;
        if (!m_rpc.call("eth_getBlockByNumber", json::array({qty(n), false}), r, e) || r.is_null())
        {
            error = "eth_getBlockByNumber(" + std::to_string(n) +
                    "): " + (r.is_null() && e.kind == RpcCallError::none ? "not found" : e.message);
            return false;
        }
        chain::BlockHeader h;
        bytes rlp;
        if (const FormatResult fr = header_from_json(r.dump(), h, rlp); !fr.ok())
        {
            error = "header " + std::to_string(n) + ": " + fr.message;
            return false;
        }
        ++m_report.headers;
        c.headers[n] = std::move(rlp);
        return true;
    }
    // The node `target` that no proof of a known key reached: a proof of a key whose hashed path
    // runs through it. `root` is the trie's root (state or an account's storage root).
    bool sibling(const hash256& target, const hash256& root, const std::optional<address>& owner,
        std::string& error)
    {
        const auto r = c.nodes.find(root);
        std::vector<uint8_t> path;
        if (r == c.nodes.end() || !path_to(c, r->second, target, path, 0))
        {
            error = "node " + to_hex0x(target.view()) + " is referenced by no collected node";
            return false;
        }
        if (path.size() > kMaxSearchNibbles)
        {
            error = "node " + to_hex0x(target.view()) + " sits " + std::to_string(path.size()) +
                    " nibbles deep, beyond the preimage search bound of " +
                    std::to_string(kMaxSearchNibbles) +
                    " (use --via complete with a node that serves debug_executionWitness)";
            return false;
        }
        ++m_report.sibling_searches;
        for (uint64_t i = 0;; ++i)
        {
            if (i > (uint64_t{1} << (4 * path.size() + 4)))
            {
                error = "no preimage found for the path of " + to_hex0x(target.view());
                return false;
            }
            if (!owner)
            {
                address a;
                for (int k = 0; k < 8; ++k)
                    a.bytes[19 - k] = static_cast<uint8_t>(i >> (8 * k));
                a.bytes[0] = 0x5e;  // away from precompiles and system contracts
                if (prefix_matches(keccak256(a.view()), path))
                    return proofs({{a, {}}}, error);
            }
            else
            {
                const uint256 slot{i};
                uint8_t kb[32];
                store_be(kb, slot);
                if (prefix_matches(keccak256({kb, 32}), path))
                    return proofs({{*owner, {slot}}}, error);
            }
        }
    }

private:
    RpcClient& m_rpc;
    const chain::Block& m_block;
    const chain::BlockHeader& m_parent;
    FetchReport& m_report;
};

// The accounts and slots a block surely reads, fetched before the first run: the fee recipient,
// every sender and recipient with their access lists, the withdrawal recipients.
std::vector<std::pair<address, std::vector<uint256>>> likely_reads(
    const chain::Block& b, chain::RecoverFn recover)
{
    std::map<address, std::set<uint256>> want;
    want[b.header.coinbase];
    for (const chain::Transaction& tx : b.transactions)
    {
        if (const auto s = rpc::transaction_sender(tx, recover))
            want[*s];
        if (tx.to)
            want[*tx.to];
        for (const auto& e : tx.access_list)
            for (const hash256& k : e.keys)
                want[e.addr].insert(load_be(k.bytes, 32));
    }
    if (b.withdrawals)
        for (const auto& w : *b.withdrawals)
            want[w.addr];
    std::vector<std::pair<address, std::vector<uint256>>> out;
    for (auto& [a, s] : want)
        out.emplace_back(a, std::vector<uint256>(s.begin(), s.end()));
    return out;
}

bool decode_parent(RpcClient& rpc, const chain::Block& block, chain::BlockHeader& parent,
    bytes& parent_rlp, std::string& error)
{
    if (block.header.number == 0)
    {
        error = "the genesis block has no witness";
        return false;
    }
    json r;
    RpcCallError e;
    if (!rpc.call("eth_getBlockByHash",
            json::array({to_hex0x(block.header.parent_hash.view()), false}), r, e) ||
        r.is_null())
    {
        error = "the parent header: " + (e.message.empty() ? std::string{"not found"} : e.message);
        return false;
    }
    if (const FormatResult fr = header_from_json(r.dump(), parent, parent_rlp); !fr.ok())
    {
        error = "the parent header: " + fr.message;
        return false;
    }
    return true;
}
}  // namespace

bool fetch_block(
    RpcClient& rpc, const std::string& ref, bytes& rlp, chain::Block& block, std::string& error)
{
    json param;
    bool by_hash = false;
    if (ref == "latest" || ref == "finalized" || ref == "safe")
        param = ref;
    else if (ref.size() == 66 && ref.rfind("0x", 0) == 0)
    {
        param = ref;
        by_hash = true;
    }
    else
    {
        char* end = nullptr;
        const unsigned long long n = std::strtoull(ref.c_str(), &end, 0);
        if (ref.empty() || *end != '\0')
        {
            error = "--block " + ref + ": want a number, latest, or a 32-byte 0x hash";
            return false;
        }
        param = qty(n);
    }
    json r;
    RpcCallError e;
    if (rpc.call("debug_getRawBlock", json::array({param}), r, e))
    {
        auto b = hex_data(r);
        if (!b)
        {
            error = "debug_getRawBlock: not hex";
            return false;
        }
        rlp = std::move(*b);
    }
    else if (e.kind == RpcCallError::rpc)
    {
        // No debug API: the JSON block, re-encoded and checked against its hashes.
        if (!rpc.call(by_hash ? "eth_getBlockByHash" : "eth_getBlockByNumber",
                json::array({param, true}), r, e))
        {
            error = e.message;
            return false;
        }
        if (r.is_null())
        {
            error = "block " + ref + " not found";
            return false;
        }
        if (const FormatResult fr = block_rlp_from_json(r.dump(), rlp, size_t{1} << 30); !fr.ok())
        {
            error = "eth_getBlockBy…: " + fr.message;
            return false;
        }
    }
    else
    {
        error = e.message;
        return false;
    }
    if (const chain::Error de = chain::decode_block(rlp, block); de != chain::Error::ok)
    {
        error = "the block does not decode: " + std::string{chain::error_name(de)};
        return false;
    }
    if (by_hash && to_hex0x(block.header.hash.view()) != ref)
    {
        error = "the node's block hashes to " + to_hex0x(block.header.hash.view()) + ", not " + ref;
        return false;
    }
    return true;
}

bool chain_config_from_eth_config(
    const nlohmann::json& r, uint64_t timestamp, ChainSpec& spec, std::string& error)
{
    if (!r.is_object() || !r.contains("current") || !r["current"].is_object())
    {
        error = "eth_config: no `current` fork";
        return false;
    }
    // The systemContracts names EIP-7910 defines up to Osaka; any other (EIP-8282's builder
    // request contracts, …) is a fork stele does not implement.
    static const std::set<std::string> kKnownContracts = {"BEACON_ROOTS_ADDRESS",
        "CONSOLIDATION_REQUEST_PREDEPLOY_ADDRESS", "DEPOSIT_CONTRACT_ADDRESS",
        "HISTORY_STORAGE_ADDRESS", "WITHDRAWAL_REQUEST_PREDEPLOY_ADDRESS"};
    chain::ChainConfig c;
    const auto entry = [&](const json& f, bool first) -> bool
    {
        const auto num = [&](const json& v) -> std::optional<uint64_t>
        {
            if (v.is_number_unsigned())
                return v.get<uint64_t>();
            const auto q = hex_quantity(v);
            if (q && q->fits_u64())
                return q->w[0];
            return std::nullopt;
        };
        const auto at_field =
            f.contains("activationTime") ? num(f["activationTime"]) : std::nullopt;
        const auto id = f.contains("chainId") ? num(f["chainId"]) : std::nullopt;
        if (!at_field || !id)
        {
            error = "eth_config: an entry without activationTime or chainId";
            return false;
        }
        const uint64_t at = *at_field;
        // The fork by its precompiles (EIP-7910 names): P256VERIFY came with Osaka, the BLS12
        // set with Prague, the KZG point evaluation with Cancun. Amsterdam adds none, so a
        // node past it is read as Osaka and its blocks' Amsterdam header fields are refused.
        const json& pre = f.contains("precompiles") ? f["precompiles"] : json{};
        const auto has = [&](const char* n) { return pre.is_object() && pre.contains(n); };
        chain::ForkActivation a;
        a.fork = has("P256VERIFY")             ? Fork::Osaka
                 : has("BLS12_PAIRING_CHECK")  ? Fork::Prague
                 : has("KZG_POINT_EVALUATION") ? Fork::Cancun
                                               : Fork::Shanghai;
        // The current fork from genesis on (what came before is not described), the next one
        // from its activation time.
        a.by_timestamp = !first;
        a.at = first ? 0 : at;
        if (a.fork >= Fork::Cancun)
        {
            const json& b = f.contains("blobSchedule") ? f["blobSchedule"] : json{};
            const auto t = b.is_object() && b.contains("target") ? num(b["target"]) : std::nullopt;
            const auto m = b.is_object() && b.contains("max") ? num(b["max"]) : std::nullopt;
            const auto u = b.is_object() && b.contains("baseFeeUpdateFraction")
                               ? num(b["baseFeeUpdateFraction"])
                               : std::nullopt;
            if (!t || !m || !u)
            {
                error = "eth_config: a blob fork without a complete blobSchedule";
                return false;
            }
            a.blob = {*t, *m, *u};
        }
        if (f.contains("systemContracts") && f["systemContracts"].is_object())
            for (const auto& [name, v] : f["systemContracts"].items())
            {
                if (!kKnownContracts.count(name))
                {
                    error = "eth_config names the system contract " + name +
                            ", of a fork stele does not implement";
                    return false;
                }
                if (name == "DEPOSIT_CONTRACT_ADDRESS" && v.is_string())
                    if (const auto b = from_hex(std::string_view{v.get<std::string>()}.substr(
                            v.get<std::string>().starts_with("0x") ? 2 : 0));
                        b && b->size() == 20)
                        c.deposit_contract = address::from(*b);
            }
        c.chain_id = *id;
        if (first && timestamp < at)
        {
            error = "eth_config describes forks from timestamp " + std::to_string(at) +
                    " on, and the block is older: give --chain-config";
            return false;
        }
        c.schedule.push_back(a);
        return true;
    };
    if (!entry(r["current"], true))
        return false;
    if (r.contains("next") && r["next"].is_object() && !entry(r["next"], false))
        return false;
    spec = ChainSpec{};
    spec.name = "eth_config";
    spec.config = std::move(c);
    return true;
}

bool fetch_chain_config(RpcClient& rpc, const std::string& given, ChainSpec& spec,
    std::string& source, std::string& error, uint64_t timestamp)
{
    if (!given.empty())
    {
        const FormatResult r = load_chain_config(given, spec);
        source = "--chain-config " + given;
        if (!r.ok())
            error = r.message;
        return r.ok();
    }
    json r;
    RpcCallError e;
    if (rpc.call("debug_chainConfig", json::array(), r, e) && r.is_object())
    {
        const FormatResult fr = chain_config_from_json(r.dump(), spec);
        source = "debug_chainConfig";
        if (!fr.ok())
            error = "debug_chainConfig: " + fr.message;
        return fr.ok();
    }
    // EIP-7910: the rules of the node's current (and next) fork, enough for blocks since then.
    std::string config_error;
    if (rpc.call("eth_config", json::array(), r, e) && r.is_object())
    {
        if (chain_config_from_eth_config(r, timestamp, spec, config_error))
        {
            source = "eth_config";
            return true;
        }
    }
    if (!rpc.call("eth_chainId", json::array(), r, e))
    {
        error = config_error.empty() ? e.message : config_error;
        return false;
    }
    const auto id = hex_quantity(r);
    const auto name = id && id->fits_u64() ? builtin_network_name(id->w[0]) : std::nullopt;
    if (!name)
    {
        error = "the node serves no debug_chainConfig, " +
                (config_error.empty() ? std::string{"no eth_config"} : config_error) +
                ", and chain id " + r.dump() + " is no built-in network: give --chain-config";
        return false;
    }
    source = "eth_chainId → " + std::string{*name};
    const FormatResult br = builtin_chain_config(*name, spec);
    if (!br.ok())
        error = br.message;
    return br.ok();
}

bool fetch_witness(RpcClient& rpc, const chain::Block& block, const chain::ChainConfig& config,
    chain::RecoverFn recover, FetchVia via, ExecutionWitness& out, FetchReport& report,
    std::string& error)
{
    const evm::PrecompileTable precompiles = evm::default_precompiles();
    stateless::ValidateOptions vo;
    vo.config = &config;
    vo.precompiles = &precompiles;
    vo.recover = recover;
    const auto verdict_of = [](const stateless::ValidationResult& v)
    {
        return v.status == stateless::Status::ok
                   ? std::string{"accepted"}
                   : "rejected: " + std::string{chain::error_name(v.block_error)};
    };

    ExecutionWitness node_witness;
    if (via != FetchVia::proofs)
    {
        json r;
        RpcCallError e;
        if (!rpc.call("debug_executionWitness", json::array({qty(block.header.number)}), r, e))
        {
            error = e.message;
            return false;
        }
        ParseError pe;
        ParseOptions po;
        po.header_encoder = json_header_encoder();
        if (!parse_witness_json(r.dump(), node_witness, pe, po))
        {
            error = "debug_executionWitness: " + pe.message;
            return false;
        }
        const WitnessViews views = views_of(node_witness);
        const stateless::WitnessBuildResult t = stateless::trim_witness(block, views.view(), vo);
        const auto s = t.verdict.status;
        if (s == stateless::Status::ok || s == stateless::Status::block_invalid)
        {
            out = to_execution_witness(t.witness);
            report.verdict = verdict_of(t.verdict);
            return true;
        }
        if (via == FetchVia::witness)
        {
            error = std::string{"the node's witness lacks data the block's validation reads: "} +
                    stateless::status_name(s) + " " + to_hex0x(t.verdict.missing_hash.view()) +
                    " (--via complete adds it by eth_getProof)";
            return false;
        }
    }

    chain::BlockHeader parent;
    bytes parent_rlp;
    if (!decode_parent(rpc, block, parent, parent_rlp, error))
        return false;
    ProofFetcher f{rpc, block, parent, report};
    f.c.headers[parent.number] = parent_rlp;
    for (const bytes& n : node_witness.state)
        f.c.nodes.emplace(keccak256(n), n);
    for (const bytes& c : node_witness.codes)
        f.c.codes.emplace(keccak256(c), c);
    for (const bytes& h : node_witness.headers)
    {
        chain::BlockHeader hd;
        if (chain::decode_header(h, hd) == chain::Error::ok && hd.number < parent.number)
            f.c.headers[hd.number] = h;
    }
    if (via == FetchVia::proofs && !f.proofs(likely_reads(block, recover), error))
        return false;

    for (size_t round = 0; round < 100000; ++round)
    {
        report.rounds = round + 1;
        std::vector<bytes_view> states, codes, headers;
        for (const auto& [h, n] : f.c.nodes)
            states.push_back(n);
        for (const auto& [h, c] : f.c.codes)
            codes.push_back(c);
        // Contiguous ancestors ending at the parent.
        for (auto it = f.c.headers.rbegin(); it != f.c.headers.rend(); ++it)
        {
            if (it->first != parent.number - headers.size())
                break;
            headers.insert(headers.begin(), it->second);
        }
        const stateless::WitnessBuildResult t =
            stateless::trim_witness(block, {states, codes, headers}, vo);
        const stateless::ValidationResult& v = t.verdict;
        if (v.status == stateless::Status::ok || v.status == stateless::Status::block_invalid)
        {
            out = to_execution_witness(t.witness);
            report.verdict = verdict_of(v);
            // What the node's witness (empty for --via proofs) did not have.
            const auto added = [](const std::vector<bytes>& result, const std::vector<bytes>& given)
            {
                // By hash (GCC 12 misreads std::vector's operator< as an overread).
                std::set<hash256> known;
                for (const bytes& b : given)
                    known.insert(keccak256(b));
                return static_cast<size_t>(std::count_if(result.begin(), result.end(),
                    [&](const bytes& b) { return known.count(keccak256(b)) == 0; }));
            };
            report.added_nodes = added(out.state, node_witness.state);
            report.added_codes = added(out.codes, node_witness.codes);
            return true;
        }
        const size_t before = f.c.nodes.size() + f.c.codes.size() + f.c.headers.size();
        const stateless::MissingContext& ctx = v.missing;
        if (v.status == stateless::Status::missing_ancestor_header)
        {
            for (uint64_t n = v.missing_number; n < parent.number; ++n)
                if (!f.c.headers.count(n) && !f.header(n, error))
                    return false;
        }
        else if (v.status == stateless::Status::missing_code)
        {
            if (ctx.step == stateless::MissingStep::none ||
                !f.code_of(ctx.account, v.missing_hash, error))
            {
                if (error.empty())
                    error = "missing code " + to_hex0x(v.missing_hash.view()) +
                            " of an unknown account";
                return false;
            }
        }
        else if (v.status == stateless::Status::missing_trie_node &&
                 ctx.step != stateless::MissingStep::none)
        {
            const bool storage = ctx.step == stateless::MissingStep::storage_read ||
                                 ctx.step == stateless::MissingStep::storage_update;
            std::vector<uint256> slots;
            if (storage && ctx.has_slot)
                slots.push_back(ctx.slot);
            if (!f.proofs({{ctx.account, slots}}, error))
                return false;
            if (!f.c.nodes.count(v.missing_hash))
            {
                // No proof of a key the block names reaches it: a collapse sibling.
                const auto sr = f.c.storage_roots.find(ctx.account);
                const bool in_storage =
                    storage && sr != f.c.storage_roots.end() && sr->second != trie::kEmptyRoot;
                if (!f.sibling(v.missing_hash, in_storage ? sr->second : parent.state_root,
                        in_storage ? std::optional<address>{ctx.account} : std::nullopt, error))
                    return false;
            }
        }
        else
        {
            error =
                std::string{"the block cannot be validated: "} + stateless::status_name(v.status);
            return false;
        }
        if (f.c.nodes.size() + f.c.codes.size() + f.c.headers.size() == before)
        {
            error = std::string{"no progress: "} + stateless::status_name(v.status) + " " +
                    to_hex0x(v.missing_hash.view()) + " stays missing";
            return false;
        }
    }
    error = "too many rounds";
    return false;
}
}  // namespace stele::witness
