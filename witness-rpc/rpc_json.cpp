#include "rpc_json.hpp"

#include <stateless/core/hex.hpp>
#include <stateless/core/keccak.hpp>
#include <stateless/core/rlp.hpp>

namespace stele::witness::rpc
{
std::string quantity(uint64_t v)
{
    static constexpr char kDigits[] = "0123456789abcdef";
    char buf[16];
    size_t n = 0;
    do
    {
        buf[n++] = kDigits[v & 0xf];
        v >>= 4;
    } while (v != 0);
    std::string out = "0x";
    while (n > 0)
        out += buf[--n];
    return out;
}

std::string quantity(const uint256& v)
{
    uint8_t be[32];
    store_be(be, v);
    std::string hex = to_hex(bytes_view{be, 32});
    const size_t first = hex.find_first_not_of('0');
    return first == std::string::npos ? "0x0" : "0x" + hex.substr(first);
}

std::string data_hex(bytes_view b)
{
    return to_hex0x(b);
}

namespace
{
template <size_t N>
std::string fixed_hex(const FixedBytes<N>& f)
{
    return to_hex0x(bytes_view{f.data(), N});
}

// The y parity of the signature: typed transactions carry it as v; legacy ones as 27/28 or,
// with EIP-155, chain_id * 2 + 35/36.
uint8_t parity(const chain::Transaction& tx)
{
    if (tx.type != 0)
        return static_cast<uint8_t>(tx.v.w[0] & 1);
    const uint64_t v = tx.v.w[0];
    return static_cast<uint8_t>(v == 27 || v == 28 ? v - 27 : (v - 35) % 2);
}

nlohmann::ordered_json access_list_json(const std::vector<chain::AccessListEntry>& list)
{
    auto out = nlohmann::ordered_json::array();
    for (const auto& e : list)
    {
        auto keys = nlohmann::ordered_json::array();
        for (const auto& k : e.keys)
            keys.push_back(fixed_hex(k));
        out.push_back({{"address", fixed_hex(e.addr)}, {"storageKeys", std::move(keys)}});
    }
    return out;
}
}  // namespace

std::optional<address> transaction_sender(const chain::Transaction& tx, chain::RecoverFn recover)
{
    if (recover == nullptr)
        return std::nullopt;
    return recover(tx.signing_hash, parity(tx), tx.r, tx.s);
}

// The price a mined transaction paid per gas: min(maxFeePerGas, baseFee + maxPriorityFeePerGas)
// for EIP-1559 types, gasPrice otherwise.
uint256 effective_gas_price(const chain::Transaction& tx, std::optional<uint64_t> base_fee)
{
    uint256 price = tx.gas_price;
    if (tx.type >= 2 && base_fee)
    {
        const uint256 tipped = uint256{*base_fee} + tx.max_priority_fee;
        if (tipped < price)
            price = tipped;
    }
    return price;
}

nlohmann::ordered_json transaction_json(const chain::Transaction& tx, const TxContext& ctx)
{
    nlohmann::ordered_json j;
    j["blockHash"] = fixed_hex(ctx.block_hash);
    j["blockNumber"] = quantity(ctx.block_number);
    j["blockTimestamp"] = quantity(ctx.block_timestamp);
    const auto from = transaction_sender(tx, ctx.recover);
    j["from"] = from ? fixed_hex(*from) : nullptr;
    j["gas"] = quantity(tx.gas_limit);
    if (tx.type >= 2)
    {
        j["gasPrice"] = quantity(effective_gas_price(tx, ctx.base_fee));
        j["maxFeePerGas"] = quantity(tx.gas_price);
        j["maxPriorityFeePerGas"] = quantity(tx.max_priority_fee);
    }
    else
        j["gasPrice"] = quantity(tx.gas_price);
    if (tx.type == 3)
        j["maxFeePerBlobGas"] = quantity(tx.max_fee_per_blob_gas);
    j["hash"] = fixed_hex(keccak256(tx.encoded));
    j["input"] = data_hex(tx.data);
    j["nonce"] = quantity(tx.nonce);
    j["to"] = tx.to ? nlohmann::ordered_json(fixed_hex(*tx.to)) : nlohmann::ordered_json(nullptr);
    j["transactionIndex"] = quantity(ctx.index);
    j["value"] = quantity(tx.value);
    j["type"] = quantity(uint64_t{tx.type});
    if (tx.type >= 1)
        j["accessList"] = access_list_json(tx.access_list);
    if (tx.chain_id)
        j["chainId"] = quantity(*tx.chain_id);
    if (tx.type == 3)
    {
        auto hashes = nlohmann::ordered_json::array();
        for (const auto& h : tx.blob_hashes)
            hashes.push_back(fixed_hex(h));
        j["blobVersionedHashes"] = std::move(hashes);
    }
    if (tx.type == 4)
    {
        auto auths = nlohmann::ordered_json::array();
        for (const auto& a : tx.authorizations)
            auths.push_back({{"chainId", quantity(a.chain_id)}, {"address", fixed_hex(a.addr)},
                {"nonce", quantity(a.nonce)}, {"yParity", quantity(a.y_parity)},
                {"r", quantity(a.r)}, {"s", quantity(a.s)}});
        j["authorizationList"] = std::move(auths);
    }
    j["v"] = quantity(tx.v);
    j["r"] = quantity(tx.r);
    j["s"] = quantity(tx.s);
    if (tx.type >= 1)
        j["yParity"] = quantity(tx.v);
    return j;
}

nlohmann::ordered_json header_json(const chain::BlockHeader& h)
{
    nlohmann::ordered_json j;
    j["parentHash"] = fixed_hex(h.parent_hash);
    j["sha3Uncles"] = fixed_hex(h.ommers_hash);
    j["miner"] = fixed_hex(h.coinbase);
    j["stateRoot"] = fixed_hex(h.state_root);
    j["transactionsRoot"] = fixed_hex(h.transactions_root);
    j["receiptsRoot"] = fixed_hex(h.receipts_root);
    j["logsBloom"] = fixed_hex(h.logs_bloom);
    j["difficulty"] = quantity(h.difficulty);
    j["number"] = quantity(h.number);
    j["gasLimit"] = quantity(h.gas_limit);
    j["gasUsed"] = quantity(h.gas_used);
    j["timestamp"] = quantity(h.timestamp);
    j["extraData"] = data_hex(h.extra_data);
    j["mixHash"] = fixed_hex(h.mix_hash);
    j["nonce"] = fixed_hex(h.nonce);
    if (h.base_fee)
        j["baseFeePerGas"] = quantity(*h.base_fee);
    if (h.withdrawals_root)
        j["withdrawalsRoot"] = fixed_hex(*h.withdrawals_root);
    if (h.blob_gas_used)
        j["blobGasUsed"] = quantity(*h.blob_gas_used);
    if (h.excess_blob_gas)
        j["excessBlobGas"] = quantity(*h.excess_blob_gas);
    if (h.parent_beacon_block_root)
        j["parentBeaconBlockRoot"] = fixed_hex(*h.parent_beacon_block_root);
    if (h.requests_hash)
        j["requestsHash"] = fixed_hex(*h.requests_hash);
    if (h.block_access_list_hash)
        j["blockAccessListHash"] = fixed_hex(*h.block_access_list_hash);
    if (h.slot_number)
        j["slotNumber"] = quantity(*h.slot_number);
    j["hash"] = fixed_hex(h.hash);
    return j;
}

nlohmann::ordered_json block_json(
    const chain::Block& block, bool full_transactions, chain::RecoverFn recover)
{
    nlohmann::ordered_json j = header_json(block.header);
    j["size"] = quantity(static_cast<uint64_t>(block.encoded_size));
    auto txs = nlohmann::ordered_json::array();
    for (size_t i = 0; i < block.transactions.size(); ++i)
    {
        const auto& tx = block.transactions[i];
        if (full_transactions)
            txs.push_back(transaction_json(
                tx, {block.header.hash, block.header.number, block.header.timestamp,
                        block.header.base_fee, i, recover}));
        else
            txs.push_back(fixed_hex(keccak256(tx.encoded)));
    }
    j["transactions"] = std::move(txs);
    auto uncles = nlohmann::ordered_json::array();
    for (const auto& u : block.ommers)
        uncles.push_back(fixed_hex(u.hash));
    j["uncles"] = std::move(uncles);
    if (block.withdrawals)
    {
        auto ws = nlohmann::ordered_json::array();
        for (const auto& w : *block.withdrawals)
            ws.push_back({{"index", quantity(w.index)}, {"validatorIndex", quantity(w.validator)},
                {"address", fixed_hex(w.addr)}, {"amount", quantity(w.amount_gwei)}});
        j["withdrawals"] = std::move(ws);
    }
    return j;
}
bool decode_receipt(bytes_view enc, chain::Receipt& out)
{
    out = chain::Receipt{};
    if (enc.empty())
        return false;
    if (enc[0] < 0x80)  // EIP-2718 envelope: type byte, then the list
    {
        out.type = enc[0];
        enc = enc.subspan(1);
    }
    rlp::Decoder d{enc};
    rlp::Decoder l = d.list();
    const bytes_view status = l.string();
    if (status.size() == 32)
        out.post_state = hash256::from(status);
    else if (status.size() <= 1)
        out.success = status.size() == 1 && status[0] == 1;
    else
        return false;
    out.cumulative_gas = l.u64();
    out.logs_bloom = l.fixed<256>();
    rlp::Decoder logs = l.list();
    while (!logs.at_end())
    {
        rlp::Decoder lg = logs.list();
        chain::Log log;
        log.addr = lg.fixed<20>();
        rlp::Decoder topics = lg.list();
        while (!topics.at_end())
            log.topics.push_back(topics.fixed<32>());
        topics.finish();
        const bytes_view data = lg.string();
        log.data.assign(data.begin(), data.end());
        lg.finish();
        if (!lg.ok() || !topics.ok())
            return false;
        out.logs.push_back(std::move(log));
    }
    logs.finish();
    l.finish();
    d.finish();
    return d.ok() && l.ok() && logs.ok();
}

bool receipts_json(const chain::Block& block, const std::vector<bytes>& receipts,
    std::optional<uint256> blob_base_fee, chain::RecoverFn recover, nlohmann::ordered_json& out)
{
    out = nlohmann::ordered_json::array();
    if (receipts.size() != block.transactions.size())
        return false;
    uint64_t previous_gas = 0, log_index = 0;
    const std::string block_hash = fixed_hex(block.header.hash);
    const std::string block_number = quantity(block.header.number);
    for (size_t i = 0; i < receipts.size(); ++i)
    {
        chain::Receipt r;
        if (!decode_receipt(receipts[i], r))
            return false;
        const chain::Transaction& tx = block.transactions[i];
        const std::string tx_hash = fixed_hex(keccak256(tx.encoded));
        nlohmann::ordered_json j;
        j["blockHash"] = block_hash;
        j["blockNumber"] = block_number;
        const auto from = transaction_sender(tx, recover);
        j["from"] =
            from ? nlohmann::ordered_json(fixed_hex(*from)) : nlohmann::ordered_json(nullptr);
        j["to"] =
            tx.to ? nlohmann::ordered_json(fixed_hex(*tx.to)) : nlohmann::ordered_json(nullptr);
        // A creation's address: keccak256(rlp([sender, nonce]))[12:] (Yellow Paper eq. 86).
        if (!tx.to && from)
        {
            bytes enc;
            rlp::Encoder e{enc};
            const size_t mark = e.begin_list();
            e.string(from->view());
            e.u64(tx.nonce);
            e.end_list(mark);
            const hash256 h = keccak256(enc);
            j["contractAddress"] = to_hex0x(bytes_view{h.bytes + 12, 20});
        }
        else
            j["contractAddress"] = nullptr;
        j["cumulativeGasUsed"] = quantity(r.cumulative_gas);
        j["gasUsed"] = quantity(r.cumulative_gas - previous_gas);
        previous_gas = r.cumulative_gas;
        j["effectiveGasPrice"] = quantity(effective_gas_price(tx, block.header.base_fee));
        auto logs = nlohmann::ordered_json::array();
        for (const chain::Log& lg : r.logs)
        {
            auto topics = nlohmann::ordered_json::array();
            for (const hash256& t : lg.topics)
                topics.push_back(fixed_hex(t));
            logs.push_back({{"address", fixed_hex(lg.addr)}, {"topics", std::move(topics)},
                {"data", data_hex(lg.data)}, {"blockNumber", block_number},
                {"transactionHash", tx_hash}, {"transactionIndex", quantity(uint64_t{i})},
                {"blockHash", block_hash}, {"blockTimestamp", quantity(block.header.timestamp)},
                {"logIndex", quantity(log_index++)}, {"removed", false}});
        }
        j["logs"] = std::move(logs);
        j["logsBloom"] = fixed_hex(r.logs_bloom);
        if (r.post_state)
            j["root"] = fixed_hex(*r.post_state);
        else
            j["status"] = r.success ? "0x1" : "0x0";
        j["transactionHash"] = tx_hash;
        j["transactionIndex"] = quantity(uint64_t{i});
        j["type"] = quantity(uint64_t{tx.type});
        if (tx.type == 3)
        {
            // EIP-4844: GAS_PER_BLOB (2^17) per versioned hash.
            j["blobGasUsed"] = quantity(uint64_t{tx.blob_hashes.size()} << 17);
            if (blob_base_fee)
                j["blobGasPrice"] = quantity(*blob_base_fee);
        }
        out.push_back(std::move(j));
    }
    return true;
}
}  // namespace stele::witness::rpc
