// Test helpers: EEST fixture objects rewritten in the shapes EL clients serve
// (eth_getBlockByNumber names and quantity spelling, geth's header objects in witnesses).
#pragma once

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stateless/chain/types.hpp>
#include <stateless/core/hex.hpp>
#include <stateless/core/keccak.hpp>
#include <string>

namespace stele::test
{
using json = nlohmann::json;

inline std::string read_text(const std::filesystem::path& p)
{
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline bytes unhex(const std::string& s)
{
    auto b = from_hex(std::string_view{s}.substr(s.starts_with("0x") ? 2 : 0));
    return b ? *b : bytes{};
}

// "0x0001a0" → "0x1a0", "0x00" → "0x0": the JSON-RPC quantity spelling.
inline std::string rpc_quantity(const std::string& s)
{
    std::string_view d = std::string_view{s}.substr(2);
    while (d.size() > 1 && d[0] == '0')
        d.remove_prefix(1);
    return "0x" + std::string{d};
}

inline void requantify(json& obj, std::initializer_list<const char*> keys)
{
    for (const char* k : keys)
        if (obj.contains(k) && obj[k].is_string())
            obj[k] = rpc_quantity(obj[k].get<std::string>());
}

inline void rename(json& obj, const char* from, const char* to)
{
    if (obj.contains(from))
    {
        obj[to] = obj[from];
        obj.erase(from);
    }
}

inline json rpc_header(json h)
{
    rename(h, "uncleHash", "sha3Uncles");
    rename(h, "coinbase", "miner");
    rename(h, "transactionsTrie", "transactionsRoot");
    rename(h, "receiptTrie", "receiptsRoot");
    rename(h, "bloom", "logsBloom");
    requantify(h, {"difficulty", "number", "gasLimit", "gasUsed", "timestamp", "baseFeePerGas",
                      "blobGasUsed", "excessBlobGas"});
    return h;
}

// The fixture block as an eth_getBlockByNumber(n, true) result: header fields at the top, RPC
// names and quantities, "to": null for creations, each transaction's "hash" (from the
// fixture's own RLP), uncles as hashes.
inline json rpc_block(const json& b, const chain::Block& decoded)
{
    json out = rpc_header(b.at("blockHeader"));
    json txs = json::array();
    for (size_t i = 0; i < b.at("transactions").size(); ++i)
    {
        json tx = b.at("transactions")[i];
        rename(tx, "gasLimit", "gas");
        rename(tx, "data", "input");
        if (tx.contains("to") && tx["to"] == "")
            tx["to"] = nullptr;
        tx.erase("sender");
        if (tx.value("type", "0x00") != "0x00")
            tx["yParity"] = tx["v"];
        requantify(tx, {"type", "chainId", "nonce", "gasPrice", "gas", "value", "v", "r", "s",
                           "yParity", "maxPriorityFeePerGas", "maxFeePerGas", "maxFeePerBlobGas"});
        if (tx.contains("authorizationList"))
            for (auto& a : tx["authorizationList"])
                requantify(a, {"chainId", "nonce", "v", "r", "s", "yParity"});
        tx["hash"] = to_hex0x(keccak256(decoded.transactions.at(i).encoded));
        txs.push_back(tx);
    }
    out["transactions"] = txs;
    out["uncles"] = json::array();
    if (b.contains("withdrawals"))
    {
        json ws = b["withdrawals"];
        for (auto& w : ws)
            requantify(w, {"index", "validatorIndex", "amount"});
        out["withdrawals"] = ws;
    }
    out["size"] = "0x1";  // fields the encoding does not use are ignored
    out["totalDifficulty"] = "0x0";
    return out;
}

// A decoded header as a geth header object (what geth puts in a witness's "headers").
inline json header_object(const chain::BlockHeader& h)
{
    const auto q = [](uint64_t v)
    {
        char buf[24];
        std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
        return std::string{buf};
    };
    uint8_t be[32];
    store_be(be, h.difficulty);
    size_t i = 0;
    while (i < 31 && be[i] == 0)
        ++i;
    json j = {{"parentHash", to_hex0x(h.parent_hash)}, {"sha3Uncles", to_hex0x(h.ommers_hash)},
        {"miner", to_hex0x(h.coinbase)}, {"stateRoot", to_hex0x(h.state_root)},
        {"transactionsRoot", to_hex0x(h.transactions_root)},
        {"receiptsRoot", to_hex0x(h.receipts_root)}, {"logsBloom", to_hex0x(h.logs_bloom)},
        {"difficulty", rpc_quantity(to_hex0x({be + i, 32 - i}))}, {"number", q(h.number)},
        {"gasLimit", q(h.gas_limit)}, {"gasUsed", q(h.gas_used)}, {"timestamp", q(h.timestamp)},
        {"extraData", to_hex0x(h.extra_data)}, {"mixHash", to_hex0x(h.mix_hash)},
        {"nonce", to_hex0x(h.nonce)}, {"hash", to_hex0x(h.hash)}};
    if (h.base_fee)
        j["baseFeePerGas"] = q(*h.base_fee);
    if (h.withdrawals_root)
        j["withdrawalsRoot"] = to_hex0x(*h.withdrawals_root);
    if (h.blob_gas_used)
        j["blobGasUsed"] = q(*h.blob_gas_used);
    if (h.excess_blob_gas)
        j["excessBlobGas"] = q(*h.excess_blob_gas);
    if (h.parent_beacon_block_root)
        j["parentBeaconBlockRoot"] = to_hex0x(*h.parent_beacon_block_root);
    if (h.requests_hash)
        j["requestsHash"] = to_hex0x(*h.requests_hash);
    return j;
}
}  // namespace stele::test
