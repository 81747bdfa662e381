#include "payload.hpp"

#include <cstring>

#include "../core/keccak.hpp"
#include "../core/rlp.hpp"
#include "../crypto/sha256.hpp"
#include "../trie/trie.hpp"

namespace stele::stateless
{
std::string_view payload_error_name(PayloadError e) noexcept
{
    switch (e)
    {
        case PayloadError::ok:
            return "";
        case PayloadError::invalid_transaction:
            return "stele.PAYLOAD_INVALID_TRANSACTION";
        case PayloadError::base_fee_too_large:
            return "stele.PAYLOAD_BASE_FEE_TOO_LARGE";
        case PayloadError::invalid_block_hash:
            return "BlockException.INVALID_BLOCK_HASH";
        case PayloadError::invalid_versioned_hashes:
            return "BlockException.INVALID_VERSIONED_HASHES";
        case PayloadError::invalid_requests:
            return "BlockException.INVALID_REQUESTS";
        case PayloadError::missing_header_field:
            return "stele.PAYLOAD_MISSING_HEADER_FIELD";
        case PayloadError::unexpected_header_field:
            return "stele.PAYLOAD_UNEXPECTED_HEADER_FIELD";
        case PayloadError::not_post_merge:
            return "stele.PAYLOAD_NOT_POST_MERGE";
    }
    return "unknown";
}

namespace
{
bool is_legacy(bytes_view tx) noexcept
{
    return !tx.empty() && tx[0] >= 0xc0;
}

// A transaction's item in the block body: legacy as its list, typed as a string of the envelope.
size_t body_item_size(bytes_view tx) noexcept
{
    return is_legacy(tx) ? tx.size() : rlp::header_size(tx.size()) + tx.size();
}

void append_body_item(bytes& out, bytes_view tx)
{
    if (is_legacy(tx))
        out.insert(out.end(), tx.begin(), tx.end());
    else
        rlp::append_string(out, tx);
}

bytes encode_withdrawal(const chain::Withdrawal& w)
{
    bytes out;
    rlp::Encoder e{out};
    const size_t m = e.begin_list();
    e.u64(w.index).u64(w.validator).string(w.addr).u64(w.amount_gwei);
    e.end_list(m);
    return out;
}

hash256 ordered_root(const std::vector<bytes_view>& items)
{
    return trie::ordered_trie_root(items);
}

std::vector<hash256> blob_hashes_of(const std::vector<chain::Transaction>& txs)
{
    std::vector<hash256> out;
    for (const chain::Transaction& tx : txs)
        if (tx.type == 3)
            out.insert(out.end(), tx.blob_hashes.begin(), tx.blob_hashes.end());
    return out;
}
}  // namespace

hash256 requests_hash(const std::vector<bytes>& requests)
{
    crypto::Sha256 outer;
    for (const bytes& r : requests)
        outer.update(crypto::sha256(r));
    return outer.finish();
}

PayloadResult payload_to_block(const StatelessInput& in, chain::Block& out)
{
    PayloadResult res;
    const auto fail = [&](PayloadError e)
    {
        res.error = e;
        return res;
    };
    const NewPayloadRequest& npr = in.new_payload_request;
    const ExecutionPayload& p = npr.execution_payload;
    const PayloadVersion version = payload_version(in.fork);

    out = chain::Block{};
    out.transactions.reserve(p.transactions.size());
    std::vector<bytes_view> tx_items;
    tx_items.reserve(p.transactions.size());
    size_t txs_payload = 0;
    for (size_t i = 0; i < p.transactions.size(); ++i)
    {
        const bytes_view t = p.transactions[i];
        chain::Transaction tx;
        if (chain::decode_transaction(t, tx) != chain::Error::ok)
        {
            res.index = i;
            return fail(PayloadError::invalid_transaction);
        }
        txs_payload += body_item_size(t);
        out.transactions.push_back(std::move(tx));
        tx_items.push_back(out.transactions.back().encoded);
    }

    chain::BlockHeader& h = out.header;
    h.parent_hash = p.parent_hash;
    h.ommers_hash = chain::empty_list_hash();
    h.coinbase = p.fee_recipient;
    h.state_root = p.state_root;
    h.transactions_root = ordered_root(tx_items);
    h.receipts_root = p.receipts_root;
    h.logs_bloom = p.logs_bloom;
    h.number = p.block_number;
    h.gas_limit = p.gas_limit;
    h.gas_used = p.gas_used;
    h.timestamp = p.timestamp;
    h.extra_data.assign(p.extra_data.begin(), p.extra_data.end());
    h.mix_hash = p.prev_randao;
    for (size_t i = 8; i < 32; ++i)
        if (p.base_fee_per_gas.bytes[i] != 0)
            return fail(PayloadError::base_fee_too_large);
    uint64_t base_fee = 0;
    for (size_t i = 8; i-- > 0;)
        base_fee = (base_fee << 8) | p.base_fee_per_gas.bytes[i];
    h.base_fee = base_fee;

    size_t ws_payload = 0;
    if (version >= PayloadVersion::v2)
    {
        std::vector<chain::Withdrawal> ws;
        ws.reserve(p.withdrawals.size());
        std::vector<bytes_view> items;
        items.reserve(p.withdrawals.size());
        for (const Withdrawal& pw : p.withdrawals)
        {
            chain::Withdrawal w;
            w.index = pw.index;
            w.validator = pw.validator_index;
            w.addr = pw.recipient;
            w.amount_gwei = pw.amount;
            w.encoded = encode_withdrawal(w);
            ws_payload += w.encoded.size();
            ws.push_back(std::move(w));
        }
        for (const chain::Withdrawal& w : ws)
            items.push_back(w.encoded);
        h.withdrawals_root = ordered_root(items);
        out.withdrawals = std::move(ws);
    }
    if (version >= PayloadVersion::v3)
    {
        h.blob_gas_used = p.blob_gas_used;
        h.excess_blob_gas = p.excess_blob_gas;
    }
    if (has_blob_fields(in.fork))
        h.parent_beacon_block_root = npr.parent_beacon_block_root;
    if (has_execution_requests(in.fork))
    {
        const std::vector<bytes> requests = execution_requests_list(in);
        for (size_t i = 0; i < requests.size(); ++i)
            if (requests[i].size() < 2 || (i > 0 && requests[i][0] <= requests[i - 1][0]))
                return fail(PayloadError::invalid_requests);
        h.requests_hash = requests_hash(requests);
    }
    if (version >= PayloadVersion::v4)
    {
        // EIP-7928: the header commits to keccak256 of the access list's RLP; EIP-7843: the slot.
        h.block_access_list_hash = keccak256(p.block_access_list);
        h.slot_number = p.slot_number;
        out.block_access_list = bytes{p.block_access_list.begin(), p.block_access_list.end()};
    }

    const bytes header_rlp = chain::encode_header(h);
    h.hash = keccak256(header_rlp);
    res.computed_hash = h.hash;
    // The size the block's RLP has (EIP-7934), without building it.
    size_t body = header_rlp.size() + rlp::list_size(txs_payload) + rlp::list_size(0);
    if (out.withdrawals)
        body += rlp::list_size(ws_payload);
    out.encoded_size = rlp::list_size(body);

    if (h.hash != p.block_hash)
        return fail(PayloadError::invalid_block_hash);
    if (has_blob_fields(in.fork) && blob_hashes_of(out.transactions) != npr.versioned_hashes)
        return fail(PayloadError::invalid_versioned_hashes);
    return res;
}

PayloadResult block_to_payload(
    const chain::Block& block, Fork fork, const std::vector<bytes>& requests, StatelessInput& in)
{
    PayloadResult res;
    const auto fail = [&](PayloadError e)
    {
        res.error = e;
        return res;
    };
    const chain::BlockHeader& h = block.header;
    if (!block.ommers.empty() || h.ommers_hash != chain::empty_list_hash() ||
        !h.difficulty.is_zero() || h.nonce != FixedBytes<8>{})
        return fail(PayloadError::not_post_merge);
    const PayloadVersion version = payload_version(fork);
    const bool v2 = version >= PayloadVersion::v2;
    const bool v3 = version >= PayloadVersion::v3;
    const bool prague = has_execution_requests(fork);
    const auto presence = [&](bool has, bool wanted)
    {
        return has == wanted ? PayloadError::ok
               : has         ? PayloadError::unexpected_header_field
                             : PayloadError::missing_header_field;
    };
    for (const PayloadError e :
        {presence(h.base_fee.has_value(), true), presence(h.withdrawals_root.has_value(), v2),
            presence(block.withdrawals.has_value(), v2), presence(h.blob_gas_used.has_value(), v3),
            presence(h.excess_blob_gas.has_value(), v3),
            presence(h.parent_beacon_block_root.has_value(), has_blob_fields(fork)),
            presence(h.requests_hash.has_value(), prague),
            presence(h.block_access_list_hash.has_value(), version >= PayloadVersion::v4),
            presence(h.slot_number.has_value(), version >= PayloadVersion::v4),
            presence(block.block_access_list.has_value(), version >= PayloadVersion::v4)})
        if (e != PayloadError::ok)
            return fail(e);

    in.fork = fork;
    NewPayloadRequest& npr = in.new_payload_request;
    npr = NewPayloadRequest{};
    ExecutionPayload& p = npr.execution_payload;
    p.parent_hash = h.parent_hash;
    p.fee_recipient = h.coinbase;
    p.state_root = h.state_root;
    p.receipts_root = h.receipts_root;
    p.logs_bloom = h.logs_bloom;
    p.prev_randao = h.mix_hash;
    p.block_number = h.number;
    p.gas_limit = h.gas_limit;
    p.gas_used = h.gas_used;
    p.timestamp = h.timestamp;
    p.extra_data = h.extra_data;
    for (size_t i = 0; i < 8; ++i)
        p.base_fee_per_gas.bytes[i] = static_cast<uint8_t>(*h.base_fee >> (8 * i));
    p.block_hash = keccak256(chain::encode_header(h));
    for (const chain::Transaction& tx : block.transactions)
        p.transactions.push_back(tx.encoded);
    if (v2)
        for (const chain::Withdrawal& w : *block.withdrawals)
            p.withdrawals.push_back({w.index, w.validator, w.addr, w.amount_gwei});
    if (v3)
    {
        p.blob_gas_used = *h.blob_gas_used;
        p.excess_blob_gas = *h.excess_blob_gas;
    }
    if (version >= PayloadVersion::v4)
    {
        p.block_access_list = *block.block_access_list;
        p.slot_number = *h.slot_number;
    }
    if (has_blob_fields(fork))
    {
        npr.versioned_hashes = blob_hashes_of(block.transactions);
        npr.parent_beacon_block_root = *h.parent_beacon_block_root;
    }
    if (prague)
    {
        ExecutionRequests& r = npr.execution_requests;
        int last_type = -1;
        for (const bytes& q : requests)
        {
            if (q.size() < 2 || static_cast<int>(q[0]) <= last_type)
                return fail(PayloadError::invalid_requests);
            last_type = q[0];
            if (in.schema == SchemaVersion::zkevm_v0_3)
            {
                r.raw.push_back(q);
                continue;
            }
            const bytes_view data = bytes_view{q}.subspan(1);
            switch (q[0])
            {
                case deposit_request_type:
                    r.deposits = data;
                    break;
                case withdrawal_request_type:
                    r.withdrawals = data;
                    break;
                case consolidation_request_type:
                    r.consolidations = data;
                    break;
                default:
                    return fail(PayloadError::invalid_requests);
            }
        }
    }
    res.computed_hash = p.block_hash;
    return res;
}

std::optional<chain::ChainConfig> chain_config_for(Fork fork, uint64_t chain_id)
{
    chain::ForkActivation a;
    switch (fork)
    {
        case Fork::paris:
            a.fork = stele::Fork::Paris;
            break;
        case Fork::shanghai:
            a.fork = stele::Fork::Shanghai;
            break;
        case Fork::cancun:
            a.fork = stele::Fork::Cancun;
            a.blob = {3, 6, 3338477};
            break;
        case Fork::prague:
            a.fork = stele::Fork::Prague;
            a.blob = {6, 9, 5007716};
            break;
        case Fork::osaka:
            a.fork = stele::Fork::Osaka;
            a.blob = {6, 9, 5007716};
            break;
        case Fork::bpo1:
            a.fork = stele::Fork::Osaka;
            a.blob = {10, 15, 8346193};
            break;
        case Fork::bpo2:
            a.fork = stele::Fork::Osaka;
            a.blob = {14, 21, 11684671};
            break;
        case Fork::amsterdam:
            // The blob schedule stays BPO2's (EEST `blobSchedule.Amsterdam`).
            a.fork = stele::Fork::Amsterdam;
            a.blob = {14, 21, 11684671};
            break;
        default:
            return std::nullopt;
    }
    chain::ChainConfig c;
    c.chain_id = chain_id;
    c.schedule = {a};
    return c;
}

bytes encode_block(const chain::Block& block)
{
    bytes out;
    rlp::Encoder e{out};
    const size_t m = e.begin_list();
    e.raw(chain::encode_header(block.header));
    const size_t t = e.begin_list();
    for (const chain::Transaction& tx : block.transactions)
        append_body_item(out, tx.encoded);
    e.end_list(t);
    const size_t o = e.begin_list();
    for (const chain::BlockHeader& oh : block.ommers)
        e.raw(chain::encode_header(oh));
    e.end_list(o);
    if (block.withdrawals)
    {
        const size_t w = e.begin_list();
        for (const chain::Withdrawal& wd : *block.withdrawals)
            e.raw(wd.encoded);
        e.end_list(w);
    }
    e.end_list(m);
    return out;
}
}  // namespace stele::stateless
