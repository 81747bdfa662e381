#include "stateless_input.hpp"

#include <array>

namespace stele::stateless
{
using ssz::Error;

std::string_view to_string(Fork f) noexcept
{
    switch (f)
    {
        case Fork::paris:
            return "Paris";
        case Fork::shanghai:
            return "Shanghai";
        case Fork::cancun:
            return "Cancun";
        case Fork::prague:
            return "Prague";
        case Fork::osaka:
            return "Osaka";
        case Fork::bpo1:
            return "BPO1";
        case Fork::bpo2:
            return "BPO2";
        case Fork::amsterdam:
            return "Amsterdam";
    }
    return "unknown";
}

namespace
{
constexpr uint64_t unbounded = ~uint64_t{0};

// Per-schema list limits: decoding enforces them, the limit-based roots use them.
struct Limits
{
    uint64_t transactions;
    uint64_t transaction_bytes;
    uint64_t withdrawals;
    uint64_t block_access_list_bytes;
    uint64_t versioned_hashes;
    uint64_t requests;
    uint64_t request_bytes;
    uint64_t state_nodes;
    uint64_t state_node_bytes;
    uint64_t codes;
    uint64_t code_bytes;
    uint64_t headers;
    uint64_t header_bytes;
    uint64_t public_keys;
};

constexpr uint64_t extra_data_limit = 32;

// tests-zkevm@v0.3.x execution-specs stateless_ssz.py; the payload/request limits are pinned by
// the fixtures' roots (MAX_WITHDRAWALS_PER_PAYLOAD was raised to 2^16 there).
constexpr Limits limits_v0_3{
    .transactions = uint64_t{1} << 20,
    .transaction_bytes = uint64_t{1} << 30,
    .withdrawals = uint64_t{1} << 16,
    .block_access_list_bytes = uint64_t{1} << 24,
    .versioned_hashes = 4096,
    .requests = 16,
    .request_bytes = uint64_t{1} << 23,
    .state_nodes = uint64_t{1} << 20,
    .state_node_bytes = uint64_t{1} << 20,
    .codes = uint64_t{1} << 16,
    .code_bytes = uint64_t{1} << 24,
    .headers = 256,
    .header_bytes = uint64_t{1} << 10,
    .public_keys = uint64_t{1} << 20,
};

// tests-zkevm@v0.8.x: progressive lists are unbounded; the witness byte limits stay.
constexpr Limits limits_r1{
    .transactions = unbounded,
    .transaction_bytes = unbounded,
    .withdrawals = unbounded,
    .block_access_list_bytes = unbounded,
    .versioned_hashes = unbounded,
    .requests = unbounded,
    .request_bytes = unbounded,
    .state_nodes = unbounded,
    .state_node_bytes = uint64_t{1} << 10,
    .codes = unbounded,
    .code_bytes = uint64_t{1} << 16,
    .headers = 256,
    .header_bytes = uint64_t{1} << 10,
    .public_keys = unbounded,
};

const Limits& limits(SchemaVersion s) noexcept
{
    return s == SchemaVersion::zkevm_v0_3 ? limits_v0_3 : limits_r1;
}

#define SSZ_TRY(expr)                                      \
    do                                                     \
    {                                                      \
        if (const Error e_ = (expr); e_ != Error::success) \
            return e_;                                     \
    } while (false)

// ExecutionPayload field sizes (0 = variable), V4 order; V1..V3 are prefixes of it.
constexpr std::array<uint32_t, 19> payload_fields{
    32, 20, 32, 32, 256, 32, 8, 8, 8, 8, 0, 32, 32, 0, /* V2 */ 0, /* V3 */ 8, 8, /* V4 */ 0, 8};

constexpr size_t payload_field_count(PayloadVersion v) noexcept
{
    switch (v)
    {
        case PayloadVersion::v1:
            return 14;
        case PayloadVersion::v2:
            return 15;
        case PayloadVersion::v3:
            return 17;
        case PayloadVersion::v4:
            return 19;
    }
    return 19;
}

template <size_t N>
FixedBytes<N> fixed(bytes_view b) noexcept
{
    return FixedBytes<N>::from(b);
}

uint64_t u64(bytes_view b) noexcept
{
    return ssz::load_le(b.data(), 8);
}

Error check_byte_lists(std::span<const bytes_view> items, uint64_t max_bytes) noexcept
{
    for (const auto& b : items)
        SSZ_TRY(ssz::check_byte_list(b, max_bytes));
    return Error::success;
}

Error decode_byte_lists(
    bytes_view in, uint64_t count_limit, uint64_t bytes_limit, std::vector<bytes_view>& out)
{
    SSZ_TRY(ssz::split_list(in, count_limit, out));
    return check_byte_lists(out, bytes_limit);
}

Error decode_payload(bytes_view in, PayloadVersion v, const Limits& lim, ExecutionPayload& p)
{
    const size_t n = payload_field_count(v);
    std::array<bytes_view, 19> f;
    SSZ_TRY(ssz::split_container(in, {payload_fields.data(), n}, {f.data(), n}));
    p.parent_hash = fixed<32>(f[0]);
    p.fee_recipient = fixed<20>(f[1]);
    p.state_root = fixed<32>(f[2]);
    p.receipts_root = fixed<32>(f[3]);
    p.logs_bloom = fixed<256>(f[4]);
    p.prev_randao = fixed<32>(f[5]);
    p.block_number = u64(f[6]);
    p.gas_limit = u64(f[7]);
    p.gas_used = u64(f[8]);
    p.timestamp = u64(f[9]);
    SSZ_TRY(ssz::check_byte_list(f[10], extra_data_limit));
    p.extra_data = f[10];
    p.base_fee_per_gas = fixed<32>(f[11]);
    p.block_hash = fixed<32>(f[12]);
    SSZ_TRY(decode_byte_lists(f[13], lim.transactions, lim.transaction_bytes, p.transactions));

    p.withdrawals.clear();
    if (v >= PayloadVersion::v2)
    {
        uint64_t count = 0;
        SSZ_TRY(ssz::check_fixed_list(f[14], Withdrawal::ssz_size, lim.withdrawals, count));
        p.withdrawals.resize(count);
        for (size_t i = 0; i < count; ++i)
        {
            const uint8_t* w = f[14].data() + i * Withdrawal::ssz_size;
            p.withdrawals[i].index = ssz::load_le(w, 8);
            p.withdrawals[i].validator_index = ssz::load_le(w + 8, 8);
            p.withdrawals[i].recipient = fixed<20>({w + 16, 20});
            p.withdrawals[i].amount = ssz::load_le(w + 36, 8);
        }
    }
    p.blob_gas_used = v >= PayloadVersion::v3 ? u64(f[15]) : 0;
    p.excess_blob_gas = v >= PayloadVersion::v3 ? u64(f[16]) : 0;
    p.block_access_list = {};
    p.slot_number = 0;
    if (v >= PayloadVersion::v4)
    {
        SSZ_TRY(ssz::check_byte_list(f[17], lim.block_access_list_bytes));
        p.block_access_list = f[17];
        p.slot_number = u64(f[18]);
    }
    return Error::success;
}

Error decode_typed_requests(bytes_view in, Fork fork, ExecutionRequests& r)
{
    const bool gloas = fork >= Fork::amsterdam;
    constexpr std::array<uint32_t, 5> sizes{0, 0, 0, 0, 0};
    constexpr std::array<size_t, 5> elem{deposit_request_size, withdrawal_request_size,
        consolidation_request_size, builder_deposit_request_size, builder_exit_request_size};
    const size_t n = gloas ? 5 : 3;
    std::array<bytes_view, 5> f;
    SSZ_TRY(ssz::split_container(in, {sizes.data(), n}, {f.data(), n}));
    for (size_t i = 0; i < n; ++i)
    {
        uint64_t count = 0;
        SSZ_TRY(ssz::check_fixed_list(f[i], elem[i], unbounded, count));
    }
    r.raw.clear();
    r.deposits = f[0];
    r.withdrawals = f[1];
    r.consolidations = f[2];
    r.builder_deposits = gloas ? f[3] : bytes_view{};
    r.builder_exits = gloas ? f[4] : bytes_view{};
    return Error::success;
}

Error decode_new_payload_request(
    bytes_view in, SchemaVersion schema, Fork fork, NewPayloadRequest& npr)
{
    const Limits& lim = limits(schema);
    const size_t n = has_execution_requests(fork) ? 4 : has_blob_fields(fork) ? 3 : 1;
    constexpr std::array<uint32_t, 4> sizes{0, 0, 32, 0};
    std::array<bytes_view, 4> f;
    SSZ_TRY(ssz::split_container(in, {sizes.data(), n}, {f.data(), n}));
    SSZ_TRY(decode_payload(f[0], payload_version(fork), lim, npr.execution_payload));

    npr.versioned_hashes.clear();
    npr.parent_beacon_block_root = {};
    npr.execution_requests = {};
    if (n >= 3)
    {
        uint64_t count = 0;
        SSZ_TRY(ssz::check_fixed_list(f[1], 32, lim.versioned_hashes, count));
        npr.versioned_hashes.resize(count);
        for (size_t i = 0; i < count; ++i)
            npr.versioned_hashes[i] = fixed<32>(f[1].subspan(i * 32, 32));
        npr.parent_beacon_block_root = fixed<32>(f[2]);
    }
    if (n == 4)
    {
        if (schema == SchemaVersion::zkevm_v0_3)
            SSZ_TRY(decode_byte_lists(
                f[3], lim.requests, lim.request_bytes, npr.execution_requests.raw));
        else
            SSZ_TRY(decode_typed_requests(f[3], fork, npr.execution_requests));
    }
    return Error::success;
}

Error decode_witness(bytes_view in, const Limits& lim, ExecutionWitness& w)
{
    constexpr std::array<uint32_t, 3> sizes{0, 0, 0};
    std::array<bytes_view, 3> f;
    SSZ_TRY(ssz::split_container(in, sizes, f));
    SSZ_TRY(decode_byte_lists(f[0], lim.state_nodes, lim.state_node_bytes, w.state));
    SSZ_TRY(decode_byte_lists(f[1], lim.codes, lim.code_bytes, w.codes));
    return decode_byte_lists(f[2], lim.headers, lim.header_bytes, w.headers);
}

Error decode_public_keys(bytes_view in, SchemaVersion schema, std::vector<bytes_view>& keys)
{
    const Limits& lim = limits(schema);
    if (schema == SchemaVersion::zkevm_v0_3)
    {
        // List[ByteList[PUBLIC_KEY_BYTES]] (the v0.3 spec's 48 was a bug, fixed upstream in
        // execution-specs #2761; no v0.3 fixture carries keys).
        return decode_byte_lists(in, lim.public_keys, public_key_size, keys);
    }
    uint64_t count = 0;
    SSZ_TRY(ssz::check_fixed_list(in, public_key_size, lim.public_keys, count));
    keys.resize(count);
    for (size_t i = 0; i < count; ++i)
        keys[i] = in.subspan(i * public_key_size, public_key_size);
    return Error::success;
}

// ---- Encoding --------------------------------------------------------------------------------

void put_fixed(bytes& out, bytes_view b)
{
    ssz::put_bytes(out, b);
}

void encode_payload(bytes& out, const ExecutionPayload& p, PayloadVersion v)
{
    const size_t start = out.size();
    put_fixed(out, p.parent_hash);
    put_fixed(out, p.fee_recipient);
    put_fixed(out, p.state_root);
    put_fixed(out, p.receipts_root);
    put_fixed(out, p.logs_bloom);
    put_fixed(out, p.prev_randao);
    ssz::put_uint(out, p.block_number, 8);
    ssz::put_uint(out, p.gas_limit, 8);
    ssz::put_uint(out, p.gas_used, 8);
    ssz::put_uint(out, p.timestamp, 8);
    const size_t extra_slot = ssz::reserve_offset(out);
    put_fixed(out, p.base_fee_per_gas);
    put_fixed(out, p.block_hash);
    const size_t tx_slot = ssz::reserve_offset(out);
    size_t wd_slot = 0;
    size_t bal_slot = 0;
    if (v >= PayloadVersion::v2)
        wd_slot = ssz::reserve_offset(out);
    if (v >= PayloadVersion::v3)
    {
        ssz::put_uint(out, p.blob_gas_used, 8);
        ssz::put_uint(out, p.excess_blob_gas, 8);
    }
    if (v >= PayloadVersion::v4)
    {
        bal_slot = ssz::reserve_offset(out);
        ssz::put_uint(out, p.slot_number, 8);
    }

    ssz::patch_offset(out, extra_slot, start);
    ssz::put_bytes(out, p.extra_data);
    ssz::patch_offset(out, tx_slot, start);
    ssz::put_byte_lists(out, p.transactions);
    if (v >= PayloadVersion::v2)
    {
        ssz::patch_offset(out, wd_slot, start);
        for (const auto& w : p.withdrawals)
        {
            ssz::put_uint(out, w.index, 8);
            ssz::put_uint(out, w.validator_index, 8);
            put_fixed(out, w.recipient);
            ssz::put_uint(out, w.amount, 8);
        }
    }
    if (v >= PayloadVersion::v4)
    {
        ssz::patch_offset(out, bal_slot, start);
        ssz::put_bytes(out, p.block_access_list);
    }
}

void encode_typed_requests(bytes& out, const ExecutionRequests& r, Fork fork)
{
    const size_t start = out.size();
    const bool gloas = fork >= Fork::amsterdam;
    const std::array<bytes_view, 5> lists{
        r.deposits, r.withdrawals, r.consolidations, r.builder_deposits, r.builder_exits};
    const size_t n = gloas ? 5 : 3;
    std::array<size_t, 5> slots{};
    for (size_t i = 0; i < n; ++i)
        slots[i] = ssz::reserve_offset(out);
    for (size_t i = 0; i < n; ++i)
    {
        ssz::patch_offset(out, slots[i], start);
        ssz::put_bytes(out, lists[i]);
    }
}

void encode_new_payload_request(
    bytes& out, const NewPayloadRequest& npr, SchemaVersion schema, Fork fork)
{
    const size_t start = out.size();
    const size_t payload_slot = ssz::reserve_offset(out);
    size_t vh_slot = 0;
    size_t req_slot = 0;
    if (has_blob_fields(fork))
    {
        vh_slot = ssz::reserve_offset(out);
        put_fixed(out, npr.parent_beacon_block_root);
    }
    if (has_execution_requests(fork))
        req_slot = ssz::reserve_offset(out);

    ssz::patch_offset(out, payload_slot, start);
    encode_payload(out, npr.execution_payload, payload_version(fork));
    if (has_blob_fields(fork))
    {
        ssz::patch_offset(out, vh_slot, start);
        for (const auto& h : npr.versioned_hashes)
            put_fixed(out, h);
    }
    if (has_execution_requests(fork))
    {
        ssz::patch_offset(out, req_slot, start);
        if (schema == SchemaVersion::zkevm_v0_3)
            ssz::put_byte_lists(out, npr.execution_requests.raw);
        else
            encode_typed_requests(out, npr.execution_requests, fork);
    }
}

void encode_witness(bytes& out, const ExecutionWitness& w)
{
    const size_t start = out.size();
    const size_t s0 = ssz::reserve_offset(out);
    const size_t s1 = ssz::reserve_offset(out);
    const size_t s2 = ssz::reserve_offset(out);
    ssz::patch_offset(out, s0, start);
    ssz::put_byte_lists(out, w.state);
    ssz::patch_offset(out, s1, start);
    ssz::put_byte_lists(out, w.codes);
    ssz::patch_offset(out, s2, start);
    ssz::put_byte_lists(out, w.headers);
}

size_t encoded_size_hint(const StatelessInput& in)
{
    const auto& p = in.new_payload_request.execution_payload;
    return 2048 + ssz::byte_lists_size(p.transactions) +
           p.withdrawals.size() * Withdrawal::ssz_size + p.block_access_list.size() +
           ssz::byte_lists_size(in.witness.state) + ssz::byte_lists_size(in.witness.codes) +
           ssz::byte_lists_size(in.witness.headers) + ssz::byte_lists_size(in.public_keys);
}

// ---- hash_tree_root --------------------------------------------------------------------------

hash256 withdrawal_root(const Withdrawal& w)
{
    const std::array<hash256, 4> f{ssz::htr_uint(w.index), ssz::htr_uint(w.validator_index),
        ssz::htr_chunk(w.recipient), ssz::htr_uint(w.amount)};
    return ssz::htr_container(f);
}

hash256 payload_root(const ExecutionPayload& p, PayloadVersion v, SchemaVersion schema)
{
    const bool progressive = schema == SchemaVersion::prefixed_r1;
    const Limits& lim = limits(schema);
    std::vector<hash256> tx_roots(p.transactions.size());
    for (size_t i = 0; i < p.transactions.size(); ++i)
        tx_roots[i] = progressive ? ssz::htr_progressive_byte_list(p.transactions[i])
                                  : ssz::htr_byte_list(p.transactions[i], lim.transaction_bytes);

    std::array<hash256, 19> f;
    f[0] = p.parent_hash;
    f[1] = ssz::htr_chunk(p.fee_recipient);
    f[2] = p.state_root;
    f[3] = p.receipts_root;
    f[4] = ssz::htr_byte_vector(p.logs_bloom);
    f[5] = p.prev_randao;
    f[6] = ssz::htr_uint(p.block_number);
    f[7] = ssz::htr_uint(p.gas_limit);
    f[8] = ssz::htr_uint(p.gas_used);
    f[9] = ssz::htr_uint(p.timestamp);
    f[10] = ssz::htr_byte_list(p.extra_data, extra_data_limit);
    f[11] = p.base_fee_per_gas;
    f[12] = p.block_hash;
    f[13] = progressive ? ssz::htr_progressive_list_of_roots(tx_roots)
                        : ssz::htr_list_of_roots(tx_roots, lim.transactions);
    if (v >= PayloadVersion::v2)
    {
        std::vector<hash256> wd_roots(p.withdrawals.size());
        for (size_t i = 0; i < p.withdrawals.size(); ++i)
            wd_roots[i] = withdrawal_root(p.withdrawals[i]);
        f[14] = progressive ? ssz::htr_progressive_list_of_roots(wd_roots)
                            : ssz::htr_list_of_roots(wd_roots, lim.withdrawals);
    }
    if (v >= PayloadVersion::v3)
    {
        f[15] = ssz::htr_uint(p.blob_gas_used);
        f[16] = ssz::htr_uint(p.excess_blob_gas);
    }
    if (v >= PayloadVersion::v4)
    {
        f[17] = progressive ? ssz::htr_progressive_byte_list(p.block_access_list)
                            : ssz::htr_byte_list(p.block_access_list, lim.block_access_list_bytes);
        f[18] = ssz::htr_uint(p.slot_number);
    }
    const std::span<const hash256> fields{f.data(), payload_field_count(v)};
    return progressive ? ssz::htr_progressive_container(fields) : ssz::htr_container(fields);
}

// Roots of a list of fixed-size request containers whose fields have the given sizes (byte
// vectors of 20/32/48/96 bytes and uint64 amounts/indices: each field root is its chunk for
// <= 32 bytes, else its packed vector root).
hash256 typed_request_list_root(bytes_view list, std::span<const uint8_t> field_sizes, size_t elem)
{
    const size_t count = list.size() / elem;
    std::vector<hash256> roots(count);
    std::array<hash256, 5> f;
    for (size_t i = 0; i < count; ++i)
    {
        size_t pos = i * elem;
        for (size_t k = 0; k < field_sizes.size(); ++k)
        {
            const bytes_view b = list.subspan(pos, field_sizes[k]);
            f[k] = b.size() <= ssz::chunk_size ? ssz::htr_chunk(b) : ssz::htr_byte_vector(b);
            pos += field_sizes[k];
        }
        roots[i] = ssz::htr_container({f.data(), field_sizes.size()});
    }
    return ssz::htr_progressive_list_of_roots(roots);
}

hash256 typed_requests_root(const ExecutionRequests& r, Fork fork)
{
    static constexpr uint8_t deposit[] = {48, 32, 8, 96, 8};
    static constexpr uint8_t withdrawal[] = {20, 48, 8};
    static constexpr uint8_t consolidation[] = {20, 48, 48};
    static constexpr uint8_t builder_deposit[] = {48, 32, 8, 96};
    static constexpr uint8_t builder_exit[] = {20, 48};
    std::array<hash256, 5> f{typed_request_list_root(r.deposits, deposit, deposit_request_size),
        typed_request_list_root(r.withdrawals, withdrawal, withdrawal_request_size),
        typed_request_list_root(r.consolidations, consolidation, consolidation_request_size)};
    size_t n = 3;
    if (fork >= Fork::amsterdam)
    {
        f[3] = typed_request_list_root(
            r.builder_deposits, builder_deposit, builder_deposit_request_size);
        f[4] = typed_request_list_root(r.builder_exits, builder_exit, builder_exit_request_size);
        n = 5;
    }
    return ssz::htr_progressive_container({f.data(), n});
}
}  // namespace

std::optional<SchemaVersion> detect_schema(bytes_view in) noexcept
{
    if (in.size() >= schema_id_size)
    {
        const unsigned fork = in[0];
        if (in[1] == schema_revision_r1 && fork >= static_cast<unsigned>(Fork::paris) &&
            fork <= static_cast<unsigned>(Fork::amsterdam))
            return SchemaVersion::prefixed_r1;
    }
    // The v0.3 layout starts with the first offset of StatelessInput: 20.
    if (in.size() >= ssz::offset_size && ssz::load_le(in.data(), ssz::offset_size) == 20)
        return SchemaVersion::zkevm_v0_3;
    return std::nullopt;
}

ssz::Error decode_stateless_input(bytes_view in, StatelessInput& out)
{
    const auto schema = detect_schema(in);
    if (!schema)
        return Error::unknown_schema;
    return decode_stateless_input(in, *schema, out);
}

ssz::Error decode_stateless_input(bytes_view in, SchemaVersion schema, StatelessInput& out)
{
    out.schema = schema;
    out.fork = Fork::amsterdam;
    if (schema == SchemaVersion::prefixed_r1)
    {
        if (in.size() < schema_id_size)
            return Error::input_too_short;
        const unsigned fork = in[0];
        if (in[1] != schema_revision_r1 || fork < static_cast<unsigned>(Fork::paris) ||
            fork > static_cast<unsigned>(Fork::amsterdam))
            return Error::unknown_schema;
        out.fork = static_cast<Fork>(fork);
        in = in.subspan(schema_id_size);
    }

    // StatelessInput{new_payload_request, witness, chain_config {chain_id} | chain_id, public_keys}
    // The prefixed layout also comes without public_keys (tests-zkevm v21): its first offset is
    // then 16, the end of a fixed part of two offsets and chain_id.
    out.has_public_keys = true;
    if (schema == SchemaVersion::prefixed_r1 && in.size() >= ssz::offset_size &&
        ssz::load_le(in.data(), ssz::offset_size) == 16)
    {
        constexpr std::array<uint32_t, 3> sizes{0, 0, 8};
        std::array<bytes_view, 3> f;
        SSZ_TRY(ssz::split_container(in, sizes, f));
        SSZ_TRY(decode_new_payload_request(f[0], schema, out.fork, out.new_payload_request));
        SSZ_TRY(decode_witness(f[1], limits(schema), out.witness));
        out.chain_id = u64(f[2]);
        out.has_public_keys = false;
        out.public_keys.clear();
        return Error::success;
    }
    constexpr std::array<uint32_t, 4> sizes{0, 0, 8, 0};
    std::array<bytes_view, 4> f;
    SSZ_TRY(ssz::split_container(in, sizes, f));
    SSZ_TRY(decode_new_payload_request(f[0], schema, out.fork, out.new_payload_request));
    SSZ_TRY(decode_witness(f[1], limits(schema), out.witness));
    out.chain_id = u64(f[2]);
    return decode_public_keys(f[3], schema, out.public_keys);
}

bytes encode_stateless_input(const StatelessInput& in)
{
    bytes out;
    out.reserve(encoded_size_hint(in));
    if (in.schema == SchemaVersion::prefixed_r1)
    {
        const uint16_t id = schema_id(in.fork);  // big-endian, unlike the SSZ that follows
        out.push_back(static_cast<uint8_t>(id >> 8));
        out.push_back(static_cast<uint8_t>(id));
    }
    const size_t start = out.size();
    const size_t npr_slot = ssz::reserve_offset(out);
    const size_t witness_slot = ssz::reserve_offset(out);
    ssz::put_uint(out, in.chain_id, 8);
    const bool keys = in.has_public_keys || in.schema == SchemaVersion::zkevm_v0_3;
    const size_t keys_slot = keys ? ssz::reserve_offset(out) : 0;

    ssz::patch_offset(out, npr_slot, start);
    encode_new_payload_request(out, in.new_payload_request, in.schema, in.fork);
    ssz::patch_offset(out, witness_slot, start);
    encode_witness(out, in.witness);
    if (!keys)
        return out;
    ssz::patch_offset(out, keys_slot, start);
    if (in.schema == SchemaVersion::zkevm_v0_3)
        ssz::put_byte_lists(out, in.public_keys);
    else
        for (const auto& k : in.public_keys)
            ssz::put_bytes(out, k);
    return out;
}

std::vector<bytes> execution_requests_list(const StatelessInput& in)
{
    std::vector<bytes> list;
    if (!has_execution_requests(in.fork))
        return list;
    const auto& r = in.new_payload_request.execution_requests;
    if (in.schema == SchemaVersion::zkevm_v0_3)
    {
        for (const auto& e : r.raw)
            list.emplace_back(e.begin(), e.end());
        return list;
    }
    const std::array<std::pair<uint8_t, bytes_view>, 5> typed{{{deposit_request_type, r.deposits},
        {withdrawal_request_type, r.withdrawals}, {consolidation_request_type, r.consolidations},
        {builder_deposit_request_type, r.builder_deposits},
        {builder_exit_request_type, r.builder_exits}}};
    for (const auto& [type, data] : typed)
    {
        if (data.empty())
            continue;
        bytes e{type};
        e.insert(e.end(), data.begin(), data.end());
        list.push_back(std::move(e));
    }
    return list;
}

hash256 new_payload_request_root(const StatelessInput& in)
{
    const auto& npr = in.new_payload_request;
    const bool progressive = in.schema == SchemaVersion::prefixed_r1;
    const Limits& lim = limits(in.schema);
    std::array<hash256, 4> f;
    f[0] = payload_root(npr.execution_payload, payload_version(in.fork), in.schema);
    size_t n = 1;
    if (has_blob_fields(in.fork))
    {
        f[1] = progressive ? ssz::htr_progressive_list_of_roots(npr.versioned_hashes)
                           : ssz::htr_list_of_roots(npr.versioned_hashes, lim.versioned_hashes);
        f[2] = npr.parent_beacon_block_root;
        n = 3;
    }
    if (has_execution_requests(in.fork))
    {
        if (progressive)
            f[3] = typed_requests_root(npr.execution_requests, in.fork);
        else
        {
            const auto& raw = npr.execution_requests.raw;
            std::vector<hash256> roots(raw.size());
            for (size_t i = 0; i < raw.size(); ++i)
                roots[i] = ssz::htr_byte_list(raw[i], lim.request_bytes);
            f[3] = ssz::htr_list_of_roots(roots, lim.requests);
        }
        n = 4;
    }
    return ssz::htr_container({f.data(), n});
}

bytes encode_validation_result(const StatelessValidationResult& r, SchemaVersion schema)
{
    bytes out;
    out.reserve(result_size_r1);
    ssz::put_bytes(out, r.new_payload_request_root);
    ssz::put_bool(out, r.successful_validation);
    ssz::put_uint(out, r.chain_id, 8);
    if (schema == SchemaVersion::prefixed_r1)
        ssz::put_uint(out, r.schema_id, 2);
    return out;
}

ssz::Error decode_validation_result(
    bytes_view in, SchemaVersion schema, StatelessValidationResult& out) noexcept
{
    const size_t n = schema == SchemaVersion::prefixed_r1 ? 4 : 3;
    constexpr std::array<uint32_t, 4> sizes{32, 1, 8, 2};
    std::array<bytes_view, 4> f;
    SSZ_TRY(ssz::split_container(in, {sizes.data(), n}, {f.data(), n}));
    out.new_payload_request_root = fixed<32>(f[0]);
    SSZ_TRY(ssz::decode_bool(f[1], out.successful_validation));
    out.chain_id = u64(f[2]);
    out.schema_id = n == 4 ? static_cast<uint16_t>(ssz::load_le(f[3].data(), 2)) : 0;
    return Error::success;
}
}  // namespace stele::stateless
