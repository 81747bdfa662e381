// The canonical guest input and output: SSZ `StatelessInput` / `StatelessValidationResult` of
// execution-specs (forks/amsterdam/stateless*.py), in the schema versions we know.
//
//  * SchemaVersion::zkevm_v0_3 — what the EEST zkevm fixtures in shared/fixtures carry
//    (tests-zkevm@v0.3.3, verified byte for byte and root for root against every block): no
//    prefix, the Amsterdam payload (ExecutionPayloadV4), execution requests as raw EIP-7685
//    `type ‖ data` byte strings, chain_config {chain_id}; a 41-byte output
//    {new_payload_request_root, successful_validation, chain_config}. List limits (they enter
//    the roots): withdrawals 2^16, block access list 2^24 bytes, requests List[ByteList[2^23], 16].
//  * SchemaVersion::prefixed_r1 — the later revision: a 2-byte big-endian schema id
//    `(ProtocolFork << 8) | 0x01` before the SSZ, the fork selecting the payload shape (Paris V1,
//    Shanghai V2, Cancun..BPO2 V3, Amsterdam V4), typed execution requests, `chain_id` and
//    progressive (EIP-7916/7495) Merkleization; a 43-byte output that appends the schema id.
//    This is the tests-zkevm@v0.8.2 schema. No fixture of it is available here: its roots are
//    checked against the published reference vectors of paradigmxyz/stateless (payloads V1..V4,
//    both request containers) and its encodings and roots against @chainsafe/ssz.
//
// Decoding is strict (see core/ssz.hpp) and zero-copy: byte strings in a decoded StatelessInput
// are views into the input buffer, which must outlive it.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "../core/bytes.hpp"
#include "../core/ssz.hpp"

namespace stele::stateless
{
// execution-specs ProtocolFork indices (the high byte of a prefixed schema id).
enum class Fork : uint8_t
{
    paris = 0x0e,
    shanghai = 0x0f,
    cancun = 0x10,
    prague = 0x11,
    osaka = 0x12,
    bpo1 = 0x13,
    bpo2 = 0x14,
    amsterdam = 0x15,
};

[[nodiscard]] std::string_view to_string(Fork f) noexcept;

// ExecutionPayload shape: V1 Paris (Bellatrix), V2 Shanghai (+ withdrawals), V3 Cancun..BPO2
// (+ blob gas fields), V4 Amsterdam (+ block access list, slot number).
enum class PayloadVersion : uint8_t
{
    v1 = 1,
    v2 = 2,
    v3 = 3,
    v4 = 4,
};

[[nodiscard]] constexpr PayloadVersion payload_version(Fork f) noexcept
{
    if (f >= Fork::amsterdam)
        return PayloadVersion::v4;
    if (f >= Fork::cancun)
        return PayloadVersion::v3;
    if (f >= Fork::shanghai)
        return PayloadVersion::v2;
    return PayloadVersion::v1;
}
// NewPayloadRequest carries versioned hashes and the parent beacon root from Cancun on, and
// execution requests from Prague on.
[[nodiscard]] constexpr bool has_blob_fields(Fork f) noexcept
{
    return f >= Fork::cancun;
}
[[nodiscard]] constexpr bool has_execution_requests(Fork f) noexcept
{
    return f >= Fork::prague;
}

enum class SchemaVersion : uint8_t
{
    zkevm_v0_3 = 0,
    prefixed_r1 = 1,
};

inline constexpr uint8_t schema_revision_r1 = 0x01;
inline constexpr size_t schema_id_size = 2;

[[nodiscard]] constexpr uint16_t schema_id(Fork f) noexcept
{
    return static_cast<uint16_t>((static_cast<unsigned>(f) << 8) | schema_revision_r1);
}

inline constexpr size_t public_key_size = 65;  // uncompressed secp256k1: 0x04 ‖ x ‖ y

// Fixed SSZ sizes of the typed execution requests (prefixed schema). Each element's SSZ bytes
// are its EIP-7685 request-data bytes in the CL layout (integers little-endian).
inline constexpr size_t deposit_request_size = 192;          // pubkey, creds, amount, sig, index
inline constexpr size_t withdrawal_request_size = 76;        // source, pubkey, amount
inline constexpr size_t consolidation_request_size = 116;    // source, source pk, target pk
inline constexpr size_t builder_deposit_request_size = 184;  // pubkey, creds, amount, sig
inline constexpr size_t builder_exit_request_size = 68;      // source, pubkey

struct Withdrawal
{
    uint64_t index = 0;
    uint64_t validator_index = 0;
    address recipient;
    uint64_t amount = 0;  // Gwei

    static constexpr size_t ssz_size = 44;
    friend bool operator==(const Withdrawal&, const Withdrawal&) = default;
};

struct ExecutionPayload
{
    hash256 parent_hash;
    address fee_recipient;
    hash256 state_root;
    hash256 receipts_root;
    bloom logs_bloom;
    hash256 prev_randao;
    uint64_t block_number = 0;
    uint64_t gas_limit = 0;
    uint64_t gas_used = 0;
    uint64_t timestamp = 0;
    bytes_view extra_data;
    bytes32 base_fee_per_gas;  // uint256, the 32 little-endian bytes of SSZ
    hash256 block_hash;
    std::vector<bytes_view> transactions;  // EIP-2718 encodings
    std::vector<Withdrawal> withdrawals;   // V2+
    uint64_t blob_gas_used = 0;            // V3+
    uint64_t excess_blob_gas = 0;          // V3+
    bytes_view block_access_list;          // V4: the RLP-encoded EIP-7928 block access list
    uint64_t slot_number = 0;              // V4
};

struct ExecutionRequests
{
    // zkevm_v0_3: the EIP-7685 requests as `request_type ‖ request_data`, in type order.
    std::vector<bytes_view> raw;
    // prefixed_r1: typed lists, each the concatenation of its fixed-size elements.
    bytes_view deposits;
    bytes_view withdrawals;
    bytes_view consolidations;
    bytes_view builder_deposits;  // Amsterdam
    bytes_view builder_exits;     // Amsterdam
};

struct NewPayloadRequest
{
    ExecutionPayload execution_payload;
    std::vector<hash256> versioned_hashes;  // Cancun+
    hash256 parent_beacon_block_root;       // Cancun+
    ExecutionRequests execution_requests;   // Prague+
};

struct ExecutionWitness
{
    std::vector<bytes_view> state;    // MPT node preimages
    std::vector<bytes_view> codes;    // contract code preimages
    std::vector<bytes_view> headers;  // RLP headers, ascending, the last one the parent
};

struct StatelessInput
{
    SchemaVersion schema = SchemaVersion::zkevm_v0_3;
    Fork fork = Fork::amsterdam;  // zkevm_v0_3 is Amsterdam only
    NewPayloadRequest new_payload_request;
    ExecutionWitness witness;
    uint64_t chain_id = 0;
    // One per transaction, in order. The prefixed layout of tests-zkevm v21 has no such field
    // (fixed part: two offsets and chain_id): the guest then recovers every sender.
    bool has_public_keys = true;
    std::vector<bytes_view> public_keys;
};

// The guest's public output. For input it cannot decode, execution-specs' guest writes the
// default-constructed result (zero root, false, chain id 0, schema id 0): all zero bytes.
struct StatelessValidationResult
{
    hash256 new_payload_request_root;
    bool successful_validation = false;
    uint64_t chain_id = 0;
    uint16_t schema_id = 0;  // prefixed_r1 only

    friend bool operator==(
        const StatelessValidationResult&, const StatelessValidationResult&) = default;
};

inline constexpr size_t result_size_v0_3 = 41;
inline constexpr size_t result_size_r1 = 43;

// The schema of an input by its first bytes: a known prefixed schema id, else the unprefixed
// v0.3 layout (whose first offset, 20, cannot be read as a schema id: revision 0x00).
[[nodiscard]] std::optional<SchemaVersion> detect_schema(bytes_view in) noexcept;

// Decodes with the schema detected, or the given one. On error `out` is unspecified.
[[nodiscard]] ssz::Error decode_stateless_input(bytes_view in, StatelessInput& out);
[[nodiscard]] ssz::Error decode_stateless_input(
    bytes_view in, SchemaVersion schema, StatelessInput& out);

// Encodes per `in.schema` and `in.fork` (the inverse of decoding for any decodable input).
// Limits are the caller's to respect; decoding enforces them.
[[nodiscard]] bytes encode_stateless_input(const StatelessInput& in);

// EIP-7685 request types (EIP-8282 adds the builder ones in Amsterdam).
inline constexpr uint8_t deposit_request_type = 0x00;
inline constexpr uint8_t withdrawal_request_type = 0x01;
inline constexpr uint8_t consolidation_request_type = 0x02;
inline constexpr uint8_t builder_deposit_request_type = 0x03;
inline constexpr uint8_t builder_exit_request_type = 0x04;

// The EIP-7685 requests list the header's requests_hash commits to: `request_type ‖
// request_data`, ascending type, empty types omitted. zkevm_v0_3 carries it as is; a typed list
// of the prefixed schema serializes to its request_data (consensus-specs
// get_execution_requests_list). Empty before Prague.
[[nodiscard]] std::vector<bytes> execution_requests_list(const StatelessInput& in);

// hash_tree_root(new_payload_request): the public commitment of the guest output.
[[nodiscard]] hash256 new_payload_request_root(const StatelessInput& in);

[[nodiscard]] bytes encode_validation_result(
    const StatelessValidationResult& r, SchemaVersion schema);
[[nodiscard]] ssz::Error decode_validation_result(
    bytes_view in, SchemaVersion schema, StatelessValidationResult& out) noexcept;
}  // namespace stele::stateless
