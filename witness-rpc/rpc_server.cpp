#include "rpc_server.hpp"

#include <httplib.h>
#include <zlib.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <stateless/core/hex.hpp>
#include <stateless/core/keccak.hpp>
#include <stateless/core/rlp.hpp>
#include <stateless/state/state.hpp>
#include <stateless/trie/trie.hpp>
#include <thread>

#include "rpc_json.hpp"
#include "threads.hpp"

namespace stele::witness
{
namespace
{
using json = nlohmann::ordered_json;

struct RpcError
{
    int code = 0;
    std::string message;
};

// A method's answer: a result or an error.
struct Reply
{
    json result;
    std::optional<RpcError> error;
};

Reply err(int code, std::string message)
{
    return {nullptr, RpcError{code, std::move(message)}};
}
Reply invalid_arg(size_t index, const std::string& what)
{
    return err(-32602, "invalid argument " + std::to_string(index) + ": " + what);
}

// ---- parameters (go-ethereum hexutil messages, which the execution-apis tests pin) -------------

bool hex_quantity(const json& v, size_t index, uint256& out, Reply& r)
{
    if (!v.is_string())
    {
        r = invalid_arg(index, "json: cannot unmarshal non-string into Go value of type hexutil");
        return false;
    }
    const std::string& s = v.get_ref<const std::string&>();
    if (s.size() < 2 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
    {
        r = invalid_arg(index, "hex string without 0x prefix");
        return false;
    }
    const std::string_view digits = std::string_view{s}.substr(2);
    if (digits.empty())
    {
        r = invalid_arg(index, "hex string \"0x\"");
        return false;
    }
    if (digits.size() > 1 && digits[0] == '0')
    {
        r = invalid_arg(index, "hex number with leading zero digits");
        return false;
    }
    if (digits.size() > 64)
    {
        r = invalid_arg(index, "hex number > 256 bits");
        return false;
    }
    uint256 acc;
    for (const char c : digits)
    {
        const int d = hex_nibble(c);
        if (d < 0)
        {
            r = invalid_arg(index, "invalid hex string");
            return false;
        }
        acc = acc * uint256{16} + uint256{static_cast<uint64_t>(d)};
    }
    out = acc;
    return true;
}

bool hex_u64(const json& v, size_t index, uint64_t& out, Reply& r)
{
    uint256 q;
    if (!hex_quantity(v, index, q, r))
        return false;
    if (!q.fits_u64())
    {
        r = invalid_arg(index, "hex number > 64 bits");
        return false;
    }
    out = q.w[0];
    return true;
}

template <size_t N>
bool hex_fixed(const json& v, size_t index, FixedBytes<N>& out, Reply& r, const char* go_type)
{
    const std::string type = std::string{" into Go value of type "} + go_type;
    if (!v.is_string())
    {
        r = invalid_arg(index, "json: cannot unmarshal non-string" + type);
        return false;
    }
    const std::string& s = v.get_ref<const std::string&>();
    if (s.size() < 2 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
    {
        r = invalid_arg(index, "json: cannot unmarshal hex string without 0x prefix" + type);
        return false;
    }
    const auto b = from_hex(std::string_view{s}.substr(2));
    if (!b)
    {
        r = invalid_arg(index, "json: cannot unmarshal invalid hex string" + type);
        return false;
    }
    if (b->size() != N)
    {
        r = invalid_arg(index, "hex string has length " + std::to_string(s.size() - 2) + ", want " +
                                   std::to_string(2 * N) + " for " + go_type);
        return false;
    }
    out = FixedBytes<N>::from(*b);
    return true;
}

// A block by number, tag or (where allowed) hash; `pending` reads as the head (the store has no
// pending block), `safe` and `finalized` too: every stored block was validated on import and
// there is no consensus client to say otherwise.
struct BlockRef
{
    std::optional<hash256> hash;
    std::optional<uint64_t> number;
    bool pending = false;
};

bool block_ref(const json& v, size_t index, bool allow_hash, BlockRef& out, Reply& r)
{
    const json* value = &v;
    if (allow_hash && v.is_object())  // EIP-1898 {"blockHash": …} / {"blockNumber": …}
    {
        if (const auto it = v.find("blockHash"); it != v.end())
        {
            hash256 h;
            if (!hex_fixed(*it, index, h, r, "common.Hash"))
                return false;
            out.hash = h;
            return true;
        }
        const auto it = v.find("blockNumber");
        if (it == v.end())
        {
            r = invalid_arg(index, "key \"blockNumber\" or \"blockHash\" missing");
            return false;
        }
        value = &*it;
    }
    if (!value->is_string())
    {
        r = invalid_arg(index, "json: cannot unmarshal non-string into Go value of type string");
        return false;
    }
    const std::string& s = value->get_ref<const std::string&>();
    if (s == "latest" || s == "safe" || s == "finalized")
        return true;
    if (s == "pending")
    {
        out.pending = true;
        return true;
    }
    if (s == "earliest")
    {
        out.number = 0;
        return true;
    }
    if (allow_hash && s.size() == 66)
    {
        hash256 h;
        if (!hex_fixed(*value, index, h, r, "common.Hash"))
            return false;
        out.hash = h;
        return true;
    }
    uint64_t n = 0;
    if (!hex_u64(*value, index, n, r))
        return false;
    if (n > static_cast<uint64_t>(INT64_MAX))
    {
        r = invalid_arg(index, "block number larger than int64");
        return false;
    }
    out.number = n;
    return true;
}

std::string hex_of(const FixedBytes<32>& h)
{
    return to_hex0x(h.view());
}

// ---- state reads over the stored trie nodes ----------------------------------------------------

struct Account
{
    uint64_t nonce = 0;
    uint256 balance;
    hash256 storage_root = trie::kEmptyRoot;
    hash256 code_hash = state::kEmptyCodeHash;
};

class StateReader
{
public:
    explicit StateReader(const ChainReader& chain) : m_chain{chain} {}
    [[nodiscard]] trie::NodeSource source() noexcept
    {
        return {this, [](void* self, const hash256& h, bytes_view& out) noexcept
            {
                auto& s = *static_cast<StateReader*>(self);
                auto n = s.m_chain.node(h);
                if (!n)
                    return false;
                out = s.m_arena.emplace_back(std::move(*n));
                return true;
            }};
    }
    // nullopt with `error` set on a store failure; `found` false for an absent account.
    bool account(const hash256& root, const address& a, std::optional<Account>& out,
        std::vector<bytes>* proof, std::string& error)
    {
        trie::Trie t{source(), root};
        const hash256 key = keccak256(a.view());
        if (proof && !t.prove(key.view(), *proof).ok())
            return fail(error, t.failure());
        const trie::GetResult g = t.get(key.view());
        if (!g.status.ok())
            return fail(error, g.status);
        out.reset();
        if (!g.found)
            return true;
        rlp::Decoder d{g.value};
        rlp::Decoder l = d.list();
        Account acc;
        acc.nonce = l.u64();
        const bytes_view bal = l.uint_be(32);
        acc.balance = load_be(bal.data(), bal.size());
        acc.storage_root = l.fixed<32>();
        acc.code_hash = l.fixed<32>();
        l.finish();
        d.finish();
        if (!d.ok())
        {
            error = "invalid account in the state trie";
            return false;
        }
        out = acc;
        return true;
    }
    bool storage(const hash256& root, const uint256& slot, uint256& out, std::vector<bytes>* proof,
        std::string& error)
    {
        out = {};
        if (root == trie::kEmptyRoot && !proof)
            return true;
        trie::Trie t{source(), root};
        uint8_t k[32];
        store_be(k, slot);
        const hash256 key = keccak256({k, 32});
        if (proof && !t.prove(key.view(), *proof).ok())
            return fail(error, t.failure());
        const trie::GetResult g = t.get(key.view());
        if (!g.status.ok())
            return fail(error, g.status);
        if (!g.found)
            return true;
        rlp::Decoder d{g.value};
        const bytes_view v = d.uint_be(32);
        d.finish();
        if (!d.ok())
        {
            error = "invalid storage value in the state trie";
            return false;
        }
        out = load_be(v.data(), v.size());
        return true;
    }

private:
    static bool fail(std::string& error, const trie::Status& s)
    {
        error =
            std::string{"chain store: "} + trie::error_name(s.error) + " " + to_hex0x(s.missing);
        return false;
    }
    const ChainReader& m_chain;
    std::deque<bytes> m_arena;
};

std::string word_hex(const uint256& v)
{
    uint8_t be[32];
    store_be(be, v);
    return to_hex0x(bytes_view{be, 32});
}

// EIP-4844 fake_exponential(MIN_BASE_FEE_PER_BLOB_GAS = 1, excess, update_fraction).
uint256 blob_base_fee(uint64_t excess, uint64_t fraction)
{
    if (fraction == 0)
        return uint256{1};
    const uint256 denominator{fraction};
    uint256 output, accum = denominator;  // factor 1 × denominator
    for (uint64_t i = 1; !accum.is_zero(); ++i)
    {
        output = output + accum;
        accum = accum * uint256{excess} / (denominator * uint256{i});
    }
    return output / denominator;
}

// ---- the methods -------------------------------------------------------------------------------

class Methods
{
public:
    Methods(const ChainReader& c, chain::RecoverFn recover, const json& config)
        : m_chain{c}, m_recover{recover}, m_config{config}
    {
    }

    Reply call(const std::string& method, const json& params)
    {
        using Fn = Reply (Methods::*)(const json&);
        static const std::map<std::string, std::pair<Fn, size_t>, std::less<>> table = {
            {"debug_executionWitness", {&Methods::execution_witness, 2}},
            {"debug_executionWitnessByBlockHash", {&Methods::execution_witness_by_hash, 2}},
            {"eth_chainId", {&Methods::chain_id, 0}},
            {"net_version", {&Methods::net_version, 0}},
            {"eth_syncing", {&Methods::syncing, 0}},
            {"eth_blockNumber", {&Methods::block_number, 0}},
            {"eth_getBlockByNumber", {&Methods::block_by_number, 2}},
            {"eth_getBlockByHash", {&Methods::block_by_hash, 2}},
            {"eth_getBlockTransactionCountByNumber", {&Methods::tx_count_by_number, 1}},
            {"eth_getBlockTransactionCountByHash", {&Methods::tx_count_by_hash, 1}},
            {"eth_getBlockReceipts", {&Methods::block_receipts, 1}},
            {"eth_getTransactionByHash", {&Methods::tx_by_hash, 1}},
            {"eth_getTransactionByBlockNumberAndIndex", {&Methods::tx_by_number_index, 2}},
            {"eth_getTransactionByBlockHashAndIndex", {&Methods::tx_by_hash_index, 2}},
            {"eth_getTransactionReceipt", {&Methods::tx_receipt, 1}},
            {"eth_getBalance", {&Methods::balance, 2}},
            {"eth_getTransactionCount", {&Methods::nonce, 2}},
            {"eth_getCode", {&Methods::code, 2}},
            {"eth_getStorageAt", {&Methods::storage_at, 3}},
            {"eth_getProof", {&Methods::proof, 3}},
            {"debug_getRawBlock", {&Methods::raw_block, 1}},
            {"debug_getRawHeader", {&Methods::raw_header, 1}},
            {"debug_getRawReceipts", {&Methods::raw_receipts, 1}},
            {"debug_getRawTransaction", {&Methods::raw_transaction, 1}},
            {"eth_config", {&Methods::config, 0}},
            {"debug_chainConfig", {&Methods::chain_config, 0}},
        };
        const auto it = table.find(method);
        if (it == table.end())
            return err(-32601, "the method " + method + " does not exist/is not available");
        if (params.size() > it->second.second)
            return err(
                -32602, "too many arguments, want at most " + std::to_string(it->second.second));
        return (this->*it->second.first)(params);
    }

private:
    // ---- helpers

    static const json* param(const json& p, size_t i)
    {
        return i < p.size() && !p[i].is_null() ? &p[i] : nullptr;
    }
    static Reply missing(size_t i)
    {
        return err(-32602, "missing value for required argument " + std::to_string(i));
    }

    // Parameter 0 as a block: a hash only (`by_hash`), or a number / tag (and a hash where
    // `allow_hash`).
    static bool block_arg(const json& p, bool by_hash, bool allow_hash, BlockRef& ref, Reply& r)
    {
        const json* v = param(p, 0);
        if (!v)
        {
            r = missing(0);
            return false;
        }
        if (!by_hash)
            return block_ref(*v, 0, allow_hash, ref, r);
        hash256 h;
        if (!hex_fixed(*v, 0, h, r, "common.Hash"))
            return false;
        ref.hash = h;
        return true;
    }
    // The block hash of a reference; nullopt when no such block is stored.
    std::optional<hash256> resolve(const BlockRef& ref) const
    {
        if (ref.hash)
            return m_chain.block_number(*ref.hash) ? ref.hash : std::nullopt;
        return m_chain.canonical_hash(ref.number ? *ref.number : m_chain.head());
    }
    // A block reference parameter that defaults to `latest` when absent.
    bool block_param(const json& p, size_t i, bool allow_hash, BlockRef& ref, Reply& r) const
    {
        const json* v = param(p, i);
        return v == nullptr || block_ref(*v, i, allow_hash, ref, r);
    }
    std::optional<chain::Block> load_block(const hash256& h) const
    {
        const auto rlp = m_chain.block_rlp(h);
        chain::Block b;
        if (!rlp || chain::decode_block(*rlp, b) != chain::Error::ok)
            return std::nullopt;
        return b;
    }
    // The state root of a block for the state methods (-32000 "header not found" if unknown).
    bool state_root(const json& p, size_t i, hash256& root, Reply& r) const
    {
        BlockRef ref;
        if (!block_param(p, i, true, ref, r))
            return false;
        const auto h = resolve(ref);
        const auto rlp = h ? m_chain.header_rlp(*h) : std::nullopt;
        chain::BlockHeader hd;
        if (!rlp || chain::decode_header(*rlp, hd) != chain::Error::ok)
        {
            r = err(-32000, "header not found");
            return false;
        }
        root = hd.state_root;
        return true;
    }
    bool account_of(const json& p, std::optional<Account>& acc, Reply& r) const
    {
        const json* a = param(p, 0);
        address addr;
        hash256 root;
        if (!a)
        {
            r = missing(0);
            return false;
        }
        if (!hex_fixed(*a, 0, addr, r, "common.Address") || !state_root(p, 1, root, r))
            return false;
        StateReader sr{m_chain};
        std::string e;
        if (!sr.account(root, addr, acc, nullptr, e))
        {
            r = err(-32000, e);
            return false;
        }
        return true;
    }
    json tx_object(const chain::Block& b, size_t i) const
    {
        return rpc::transaction_json(b.transactions[i],
            {b.header.hash, b.header.number, b.header.timestamp, b.header.base_fee, i, m_recover});
    }
    std::optional<uint256> blob_fee(const chain::BlockHeader& h) const
    {
        if (!h.excess_blob_gas)
            return std::nullopt;
        const chain::ChainConfig& c = m_chain.config();
        return blob_base_fee(
            *h.excess_blob_gas, c.rules_at(h.number, h.timestamp).blob.update_fraction);
    }

    // ---- chain

    Reply chain_id(const json&)
    {
        return {rpc::quantity(m_chain.config().chain_id), {}};
    }
    Reply net_version(const json&)
    {
        return {std::to_string(m_chain.config().chain_id), {}};
    }
    Reply syncing(const json&)
    {
        return {false, {}};
    }
    Reply block_number(const json&)
    {
        return {rpc::quantity(m_chain.head()), {}};
    }

    // ---- blocks

    Reply block_common(const json& p, bool by_hash)
    {
        Reply r;
        BlockRef ref;
        if (!block_arg(p, by_hash, false, ref, r))
            return r;
        bool full = false;
        if (const json* f = param(p, 1))
        {
            if (!f->is_boolean())
                return invalid_arg(1, "json: cannot unmarshal non-bool into Go value of type bool");
            full = f->get<bool>();
        }
        const auto h = resolve(ref);
        const auto b = h ? load_block(*h) : std::nullopt;
        if (!b)
            return {nullptr, {}};
        return {rpc::block_json(*b, full, m_recover), {}};
    }
    Reply block_by_number(const json& p)
    {
        return block_common(p, false);
    }
    Reply block_by_hash(const json& p)
    {
        return block_common(p, true);
    }
    Reply tx_count(const json& p, bool by_hash)
    {
        Reply r;
        BlockRef ref;
        if (!block_arg(p, by_hash, false, ref, r))
            return r;
        const auto bh = resolve(ref);
        const auto b = bh ? load_block(*bh) : std::nullopt;
        if (!b)
            return {nullptr, {}};
        return {rpc::quantity(uint64_t{b->transactions.size()}), {}};
    }
    Reply tx_count_by_number(const json& p)
    {
        return tx_count(p, false);
    }
    Reply tx_count_by_hash(const json& p)
    {
        return tx_count(p, true);
    }
    Reply block_receipts(const json& p)
    {
        Reply r;
        BlockRef ref;
        if (!block_arg(p, false, true, ref, r))
            return r;
        const auto h = resolve(ref);
        const auto b = h ? load_block(*h) : std::nullopt;
        const auto rs = h ? m_chain.receipts_rlp(*h) : std::nullopt;
        if (!b || !rs)
            return {nullptr, {}};
        json out;
        if (!rpc::receipts_json(*b, *rs, blob_fee(b->header), m_recover, out))
            return err(-32000, "chain store: the block's receipts do not decode");
        return {std::move(out), {}};
    }

    // ---- transactions

    struct Located
    {
        chain::Block block;
        size_t index = 0;
    };
    std::optional<Located> locate(const hash256& tx) const
    {
        const auto loc = m_chain.transaction(tx);
        if (!loc)
            return std::nullopt;
        auto b = load_block(loc->block_hash);
        if (!b || loc->index >= b->transactions.size())
            return std::nullopt;
        return Located{std::move(*b), loc->index};
    }
    bool tx_hash_param(const json& p, hash256& h, Reply& r) const
    {
        const json* v = param(p, 0);
        if (!v)
        {
            r = missing(0);
            return false;
        }
        return hex_fixed(*v, 0, h, r, "common.Hash");
    }
    Reply tx_by_hash(const json& p)
    {
        Reply r;
        hash256 h;
        if (!tx_hash_param(p, h, r))
            return r;
        const auto l = locate(h);
        if (!l)
            return {nullptr, {}};
        return {tx_object(l->block, l->index), {}};
    }
    Reply tx_by_index(const json& p, bool by_hash)
    {
        Reply r;
        BlockRef ref;
        if (!block_arg(p, by_hash, false, ref, r))
            return r;
        const json* iv = param(p, 1);
        if (!iv)
            return missing(1);
        uint64_t index = 0;
        if (!hex_u64(*iv, 1, index, r))
            return r;
        const auto bh = resolve(ref);
        const auto b = bh ? load_block(*bh) : std::nullopt;
        if (!b || index >= b->transactions.size())
            return {nullptr, {}};
        return {tx_object(*b, index), {}};
    }
    Reply tx_by_number_index(const json& p)
    {
        return tx_by_index(p, false);
    }
    Reply tx_by_hash_index(const json& p)
    {
        return tx_by_index(p, true);
    }
    Reply tx_receipt(const json& p)
    {
        Reply r;
        hash256 h;
        if (!tx_hash_param(p, h, r))
            return r;
        const auto l = locate(h);
        const auto rs = l ? m_chain.receipts_rlp(l->block.header.hash) : std::nullopt;
        if (!l || !rs)
            return {nullptr, {}};
        json all;
        if (!rpc::receipts_json(l->block, *rs, blob_fee(l->block.header), m_recover, all))
            return err(-32000, "chain store: the block's receipts do not decode");
        return {std::move(all[l->index]), {}};
    }

    // ---- state

    Reply balance(const json& p)
    {
        Reply r;
        std::optional<Account> a;
        if (!account_of(p, a, r))
            return r;
        return {rpc::quantity(a ? a->balance : uint256{}), {}};
    }
    Reply nonce(const json& p)
    {
        Reply r;
        std::optional<Account> a;
        if (!account_of(p, a, r))
            return r;
        return {rpc::quantity(a ? a->nonce : 0), {}};
    }
    Reply code(const json& p)
    {
        Reply r;
        std::optional<Account> a;
        if (!account_of(p, a, r))
            return r;
        if (!a || a->code_hash == state::kEmptyCodeHash)
            return {"0x", {}};
        const auto c = m_chain.code(a->code_hash);
        if (!c)
            return err(-32000, "chain store: code " + hex_of(a->code_hash) + " is missing");
        return {to_hex0x(*c), {}};
    }
    // A storage key as go-ethereum reads it: up to 32 bytes of hex, left-padded.
    static bool storage_key(const json& v, size_t index, uint256& out, Reply& r)
    {
        if (!v.is_string())
        {
            r = invalid_arg(
                index, "json: cannot unmarshal non-string into Go value of type string");
            return false;
        }
        const std::string& s = v.get_ref<const std::string&>();
        std::string_view h = s;
        if (h.starts_with("0x") || h.starts_with("0X"))
            h.remove_prefix(2);
        if (h.size() > 64)
        {
            r = err(-32602, "storage key too long (want at most 32 bytes): \"" + s + "\"");
            return false;
        }
        std::string padded(64 - h.size(), '0');
        padded += h;
        const auto b = from_hex(padded);
        if (!b)
        {
            r = err(-32602, "invalid hex in storage key: \"" + s + "\"");
            return false;
        }
        out = load_be(b->data(), 32);
        return true;
    }
    Reply storage_at(const json& p)
    {
        Reply r;
        const json* k = param(p, 1);
        if (!param(p, 0))
            return missing(0);
        if (!k)
            return missing(1);
        uint256 slot;
        if (!storage_key(*k, 1, slot, r))
            return r;
        address addr;
        hash256 root;
        if (!hex_fixed(p[0], 0, addr, r, "common.Address") || !state_root(p, 2, root, r))
            return r;
        StateReader sr{m_chain};
        std::optional<Account> a;
        std::string e;
        uint256 value;
        if (!sr.account(root, addr, a, nullptr, e) ||
            (a && !sr.storage(a->storage_root, slot, value, nullptr, e)))
            return err(-32000, e);
        return {word_hex(value), {}};
    }
    // EIP-1186.
    Reply proof(const json& p)
    {
        Reply r;
        const json* keys = param(p, 1);
        if (!param(p, 0))
            return missing(0);
        if (!keys)
            return missing(1);
        if (!keys->is_array())
            return invalid_arg(
                1, "json: cannot unmarshal non-array into Go value of type []string");
        address addr;
        hash256 root;
        if (!hex_fixed(p[0], 0, addr, r, "common.Address") || !state_root(p, 2, root, r))
            return r;
        StateReader sr{m_chain};
        std::optional<Account> a;
        std::vector<bytes> account_proof;
        std::string e;
        if (!sr.account(root, addr, a, &account_proof, e))
            return err(-32000, e);
        const Account acc = a.value_or(Account{});
        json out;
        out["address"] = to_hex0x(addr.view());
        auto ap = json::array();
        for (const bytes& n : account_proof)
            ap.push_back(to_hex0x(n));
        out["accountProof"] = std::move(ap);
        out["balance"] = rpc::quantity(acc.balance);
        out["codeHash"] = hex_of(acc.code_hash);
        out["nonce"] = rpc::quantity(acc.nonce);
        out["storageHash"] = hex_of(acc.storage_root);
        auto sp = json::array();
        for (const json& k : *keys)
        {
            uint256 slot;
            if (!storage_key(k, 1, slot, r))
                return r;
            std::vector<bytes> proof;
            uint256 value;
            if (a && !sr.storage(acc.storage_root, slot, value, &proof, e))
                return err(-32000, e);
            auto pj = json::array();
            for (const bytes& n : proof)
                pj.push_back(to_hex0x(n));
            sp.push_back({{"key", k}, {"value", rpc::quantity(value)}, {"proof", std::move(pj)}});
        }
        out["storageProof"] = std::move(sp);
        return {std::move(out), {}};
    }

    // ---- raw encodings

    Reply raw(const json& p, int what)
    {
        Reply r;
        BlockRef ref;
        if (!block_arg(p, false, true, ref, r))
            return r;
        const auto h = resolve(ref);
        if (!h)
            return err(-32000, "block not found");
        if (what == 0)
        {
            const auto b = m_chain.block_rlp(*h);
            return b ? Reply{to_hex0x(*b), {}} : err(-32000, "block not found");
        }
        if (what == 1)
        {
            const auto b = m_chain.header_rlp(*h);
            return b ? Reply{to_hex0x(*b), {}} : err(-32000, "header not found");
        }
        const auto rs = m_chain.receipts_rlp(*h);
        if (!rs)
            return err(-32000, "receipts not found");
        auto out = json::array();
        for (const bytes& e : *rs)
            out.push_back(to_hex0x(e));
        return {std::move(out), {}};
    }
    Reply raw_block(const json& p)
    {
        return raw(p, 0);
    }
    Reply raw_header(const json& p)
    {
        return raw(p, 1);
    }
    Reply raw_receipts(const json& p)
    {
        return raw(p, 2);
    }
    Reply raw_transaction(const json& p)
    {
        Reply r;
        hash256 h;
        if (!tx_hash_param(p, h, r))
            return r;
        const auto l = locate(h);
        if (!l)
            return {"0x", {}};
        const chain::Transaction& tx = l->block.transactions[l->index];
        return {to_hex0x(tx.encoded), {}};
    }

    // ---- witnesses (execution-apis #847)

    Reply witness_common(const json& p, bool by_hash)
    {
        Reply r;
        BlockRef ref;
        if (!block_arg(p, by_hash, true, ref, r))
            return r;
        if (ref.pending)
            return err(-32000, "the pending block has no execution witness");
        WitnessMode mode = WitnessMode::canonical;
        if (const json* m = param(p, 1))
        {
            const json* name = m;
            if (m->is_object())
            {
                const auto it = m->find("mode");
                name = it == m->end() ? nullptr : &*it;
            }
            if (name && !name->is_string())
                return invalid_arg(1, "mode: want \"canonical\" or \"legacy\"");
            const std::string s = name ? name->get<std::string>() : "canonical";
            if (s == "legacy")
                mode = WitnessMode::legacy;
            else if (s != "canonical")
                return invalid_arg(1, "unknown witness mode \"" + s + "\" (canonical, legacy)");
        }
        const auto h = resolve(ref);
        if (!h)
            return err(-32000, "block not found");
        if (m_chain.block_number(*h) == uint64_t{0})
            return err(-32000, "the genesis block has no execution witness");
        ExecutionWitness w;
        std::string e;
        if (!m_chain.execution_witness(*h, mode, w, e))
            return err(-32000, e);
        return {json::parse(to_json(w)), {}};
    }
    Reply execution_witness(const json& p)
    {
        return witness_common(p, false);
    }
    Reply execution_witness_by_hash(const json& p)
    {
        return witness_common(p, true);
    }

    // ---- eth_config (EIP-7910)

    // go-ethereum's fork points for EIP-2124 fork ids: every `…Block` and `…Time` value of
    // the chain configuration, block forks first, each ascending, without duplicates and zeros
    // (time forks at or before the genesis time are dropped too).
    void fork_points(
        std::vector<uint64_t>& blocks, std::vector<uint64_t>& times, uint64_t genesis_time) const
    {
        if (!m_config.is_object())
            return;
        for (const auto& [k, v] : m_config.items())
        {
            uint64_t n = 0;
            if (v.is_number_unsigned())
                n = v.get<uint64_t>();
            else if (v.is_string())
            {
                uint256 q;
                Reply ignore;
                if (!hex_quantity(v, 0, q, ignore) || !q.fits_u64())
                    continue;
                n = q.w[0];
            }
            else
                continue;
            const std::string_view key = k;
            if (key.ends_with("Block") && n != 0)
                blocks.push_back(n);
            else if (key.ends_with("Time") && n > genesis_time)
                times.push_back(n);
        }
        for (auto* v : {&blocks, &times})
        {
            std::sort(v->begin(), v->end());
            v->erase(std::unique(v->begin(), v->end()), v->end());
        }
    }
    json fork_config(const chain::ForkActivation& f, const hash256& genesis, uint64_t genesis_time)
    {
        json j;
        j["activationTime"] = f.by_timestamp ? f.at : 0;
        if (f.fork >= Fork::Cancun)
            j["blobSchedule"] = {{"target", f.blob.target}, {"max", f.blob.max},
                {"baseFeeUpdateFraction", f.blob.update_fraction}};
        else
            j["blobSchedule"] = nullptr;
        j["chainId"] = rpc::quantity(m_chain.config().chain_id);
        std::vector<uint64_t> blocks, times;
        fork_points(blocks, times, genesis_time);
        uLong crc = crc32(0L, genesis.bytes, 32);
        const auto add = [&](uint64_t v)
        {
            uint8_t be[8];
            for (int i = 0; i < 8; ++i)
                be[i] = static_cast<uint8_t>(v >> (56 - 8 * i));
            crc = crc32(crc, be, 8);
        };
        for (const uint64_t b : blocks)
            add(b);
        for (const uint64_t t : times)
            if (f.by_timestamp && t <= f.at)
                add(t);
        char id[16];
        std::snprintf(id, sizeof id, "0x%08lx", static_cast<unsigned long>(crc & 0xffffffffu));
        j["forkId"] = id;
        // Precompiles by activation (names as in EIP-7910).
        static constexpr struct
        {
            const char* name;
            unsigned addr;
            Fork since;
        } kPrecompiles[] = {{"ECREC", 1, Fork::Frontier}, {"SHA256", 2, Fork::Frontier},
            {"RIPEMD160", 3, Fork::Frontier}, {"ID", 4, Fork::Frontier},
            {"MODEXP", 5, Fork::Byzantium}, {"BN254_ADD", 6, Fork::Byzantium},
            {"BN254_MUL", 7, Fork::Byzantium}, {"BN254_PAIRING", 8, Fork::Byzantium},
            {"BLAKE2F", 9, Fork::Istanbul}, {"KZG_POINT_EVALUATION", 0x0a, Fork::Cancun},
            {"BLS12_G1ADD", 0x0b, Fork::Prague}, {"BLS12_G1MSM", 0x0c, Fork::Prague},
            {"BLS12_G2ADD", 0x0d, Fork::Prague}, {"BLS12_G2MSM", 0x0e, Fork::Prague},
            {"BLS12_PAIRING_CHECK", 0x0f, Fork::Prague}, {"BLS12_MAP_FP_TO_G1", 0x10, Fork::Prague},
            {"BLS12_MAP_FP2_TO_G2", 0x11, Fork::Prague}, {"P256VERIFY", 0x100, Fork::Osaka}};
        std::map<std::string, std::string> pre;  // sorted by name, as go-ethereum emits them
        for (const auto& pc : kPrecompiles)
            if (f.fork >= pc.since)
            {
                address a;
                a.bytes[18] = static_cast<uint8_t>(pc.addr >> 8);
                a.bytes[19] = static_cast<uint8_t>(pc.addr);
                pre[pc.name] = to_hex0x(a.view());
            }
        j["precompiles"] = pre;
        std::map<std::string, std::string> sys;
        if (f.fork >= Fork::Cancun)
            sys["BEACON_ROOTS_ADDRESS"] = "0x000f3df6d732807ef1319fb7b8bb8522d0beac02";  // 4788
        if (f.fork >= Fork::Prague)
        {
            sys["CONSOLIDATION_REQUEST_PREDEPLOY_ADDRESS"] =
                "0x0000bbddc7ce488642fb579f8b00f3a590007251";  // EIP-7251
            sys["DEPOSIT_CONTRACT_ADDRESS"] = to_hex0x(m_chain.config().deposit_contract.view());
            sys["HISTORY_STORAGE_ADDRESS"] = "0x0000f90827f1c53a10cb7a02335b175320002935";  // 2935
            sys["WITHDRAWAL_REQUEST_PREDEPLOY_ADDRESS"] =
                "0x00000961ef480eb55e80d19ad83579a64c007002";  // EIP-7002
        }
        j["systemContracts"] = sys.empty() ? json(nullptr) : json(sys);
        return j;
    }
    // go-ethereum's debug_chainConfig: the chain's `config` object (as imported).
    Reply chain_config(const json&)
    {
        if (m_config.is_null())
            return err(-32000, "the chain store records no chain configuration");
        return {m_config, {}};
    }
    Reply config(const json&)
    {
        const auto g = m_chain.canonical_hash(0);
        const auto head_hash = m_chain.canonical_hash(m_chain.head());
        const auto g_rlp = g ? m_chain.header_rlp(*g) : std::nullopt;
        const auto h_rlp = head_hash ? m_chain.header_rlp(*head_hash) : std::nullopt;
        chain::BlockHeader gh, hh;
        if (!g_rlp || !h_rlp || chain::decode_header(*g_rlp, gh) != chain::Error::ok ||
            chain::decode_header(*h_rlp, hh) != chain::Error::ok)
            return err(-32000, "chain store: no head");
        const auto& sched = m_chain.config().schedule;
        size_t cur = 0;
        for (size_t i = 0; i < sched.size(); ++i)
            if (sched[i].by_timestamp ? hh.timestamp >= sched[i].at : hh.number >= sched[i].at)
                cur = i;
        json out;
        out["current"] = fork_config(sched[cur], gh.hash, gh.timestamp);
        out["next"] = cur + 1 < sched.size() ? fork_config(sched[cur + 1], gh.hash, gh.timestamp)
                                             : json(nullptr);
        out["last"] = cur + 1 < sched.size() ? fork_config(sched.back(), gh.hash, gh.timestamp)
                                             : json(nullptr);
        return {std::move(out), {}};
    }

    const ChainReader& m_chain;
    chain::RecoverFn m_recover;
    const json& m_config;
};

// The deepest nesting of arrays and objects in `text` (strings skipped). nlohmann's parser
// recurses per level, so a body of a few MiB of '[' would exhaust the stack: bodies nested
// deeper than any request needs are refused before parsing.
size_t nesting_depth(std::string_view text) noexcept
{
    size_t depth = 0, deepest = 0;
    bool in_string = false;
    for (size_t i = 0; i < text.size(); ++i)
    {
        const char c = text[i];
        if (in_string)
        {
            if (c == '\\')
                ++i;
            else if (c == '"')
                in_string = false;
        }
        else if (c == '"')
            in_string = true;
        else if (c == '[' || c == '{')
            deepest = std::max(deepest, ++depth);
        else if ((c == ']' || c == '}') && depth > 0)
            --depth;
    }
    return deepest;
}
constexpr size_t kMaxNesting = 64;

// httplib's worker pool, on threads with the execution stack (debug_executionWitness executes
// a whole block on the worker).
class StackPool final : public httplib::TaskQueue
{
public:
    explicit StackPool(size_t n)
    {
        for (size_t i = 0; i < n; ++i)
        {
            StackThread t;
            if (t.start([this] { work(); }))
                m_threads.push_back(t);
        }
    }
    ~StackPool() override = default;
    void enqueue(std::function<void()> fn) override
    {
        {
            const std::lock_guard lock{m_mu};
            m_jobs.push_back(std::move(fn));
        }
        m_cv.notify_one();
    }
    void shutdown() override
    {
        {
            const std::lock_guard lock{m_mu};
            m_stop = true;
        }
        m_cv.notify_all();
        for (StackThread& t : m_threads)
            t.join();
    }

private:
    void work()
    {
        while (true)
        {
            std::function<void()> job;
            {
                std::unique_lock lock{m_mu};
                m_cv.wait(lock, [this] { return m_stop || !m_jobs.empty(); });
                if (m_stop && m_jobs.empty())
                    return;
                job = std::move(m_jobs.front());
                m_jobs.pop_front();
            }
            job();
        }
    }
    std::vector<StackThread> m_threads;
    std::mutex m_mu;
    std::condition_variable m_cv;
    std::deque<std::function<void()>> m_jobs;
    bool m_stop = false;
};

json error_response(const json& id, int code, const std::string& message)
{
    return {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}};
}
}  // namespace

RpcServer::RpcServer(
    const ChainReader& chain, chain::RecoverFn recover, std::string config_json, RpcLimits limits)
    : m_chain{chain}, m_recover{recover}, m_limits{limits}
{
    if (!config_json.empty())
    {
        const auto c = nlohmann::ordered_json::parse(config_json, nullptr, false);
        if (!c.is_discarded())
            m_config = c;
    }
}

nlohmann::ordered_json RpcServer::call(const nlohmann::ordered_json& req) const
{
    if (!req.is_object())
        return error_response(nullptr, -32600, "invalid request");
    const auto id_it = req.find("id");
    const json id = id_it == req.end() ? json(nullptr) : *id_it;
    if (id_it != req.end() && !id.is_null() && !id.is_string() && !id.is_number())
        return error_response(nullptr, -32600, "invalid request");
    const auto v = req.find("jsonrpc");
    const auto m = req.find("method");
    if (v == req.end() || *v != "2.0" || m == req.end() || !m->is_string())
        return error_response(id, -32600, "invalid request");
    json params = json::array();
    if (const auto p = req.find("params"); p != req.end() && !p->is_null())
    {
        if (!p->is_array())
            return error_response(id, -32602, "non-array args");
        params = *p;
    }
    Methods methods{m_chain, m_recover, m_config};
    Reply r = methods.call(m->get<std::string>(), params);
    if (id_it == req.end())
        return nullptr;  // a notification: no response
    if (r.error)
        return error_response(id, r.error->code, r.error->message);
    return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(r.result)}};
}

std::string RpcServer::handle(std::string_view body) const
{
    if (body.size() > m_limits.max_body)
        return error_response(nullptr, -32600,
            "request body of " + std::to_string(body.size()) + " bytes exceeds the limit of " +
                std::to_string(m_limits.max_body))
            .dump();
    if (nesting_depth(body) > kMaxNesting)
        return error_response(nullptr, -32600,
            "request nested deeper than " + std::to_string(kMaxNesting) + " levels")
            .dump();
    const json req = json::parse(body.begin(), body.end(), nullptr, false);
    if (req.is_discarded())
        return error_response(nullptr, -32700, "parse error").dump();
    if (!req.is_array())
    {
        json resp = call(req);
        return resp.is_null() ? std::string{} : resp.dump();
    }
    if (req.empty())
        return error_response(nullptr, -32600, "empty batch").dump();
    if (req.size() > m_limits.max_batch)
        return error_response(nullptr, -32600,
            "batch of " + std::to_string(req.size()) + " requests exceeds the limit of " +
                std::to_string(m_limits.max_batch))
            .dump();
    std::string out = "[";
    size_t size = 1;
    bool first = true;
    for (const json& r : req)
    {
        json resp = call(r);
        if (resp.is_null())
            continue;
        std::string s = resp.dump();
        if (size + s.size() > m_limits.max_batch_response)
        {
            const auto id = r.is_object() && r.contains("id") ? r["id"] : json(nullptr);
            s = error_response(id, -32000, "response too large").dump();
        }
        size += s.size() + 1;
        if (!first)
            out += ',';
        first = false;
        out += s;
    }
    if (first)
        return {};
    out += ']';
    return out;
}

bool RpcServer::serve_http(const std::string& addr, int port, std::string& error,
    void (*on_listening)(int, void*), void* ctx) const
{
    httplib::Server http;
    http.new_task_queue = []
    { return new StackPool(std::max(8u, std::thread::hardware_concurrency())); };
    http.set_payload_max_length(m_limits.max_body);
    http.Post("/",
        [this](const httplib::Request& req, httplib::Response& res)
        {
            const std::string body = handle(req.body);
            if (body.empty())
                res.status = 204;
            else
                res.set_content(body, "application/json");
        });
    // An oversized body never reaches the handler: answer it in JSON-RPC form.
    http.set_error_handler(
        [this](const httplib::Request&, httplib::Response& res)
        {
            if (res.status == 413)
                res.set_content(error_response(nullptr, -32600,
                                    "request body exceeds the limit of " +
                                        std::to_string(m_limits.max_body) + " bytes")
                                    .dump(),
                    "application/json");
        });
    int bound = port;
    if (port == 0)
        bound = http.bind_to_any_port(addr);
    else if (!http.bind_to_port(addr, port))
        bound = -1;
    if (bound <= 0)
    {
        error = "cannot listen on " + addr + ":" + std::to_string(port);
        return false;
    }
    if (on_listening)
        on_listening(bound, ctx);
    if (!http.listen_after_bind())
    {
        error = "the HTTP server stopped with an error";
        return false;
    }
    return true;
}
}  // namespace stele::witness
