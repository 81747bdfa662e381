// Execution-witness files: the `debug_executionWitness` JSON shapes served by EL clients, and
// the canonical form our generator emits.
//
// Accepted: go-ethereum's binary ExtWitness RLP (detected by its list prefix), and
// {"state":[hex],"codes":[hex],"keys":[hex]|null|absent,"headers":[hex RLP]} (reth,
// Nethermind, Erigon, execution-apis draft), optionally wrapped in a JSON-RPC response
// {"jsonrpc":"2.0","id":…,"result":{…}}; plain or gzip-compressed. geth's variant (headers as
// JSON objects) is converted through a HeaderEncoder (block_json.hpp: json_header_encoder()).
#pragma once

#include <functional>
#include <stateless/core/bytes.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace stele::witness
{
struct ExecutionWitness
{
    std::vector<bytes> state;    // RLP trie nodes (account and storage tries together)
    std::vector<bytes> codes;    // contract bytecodes
    std::vector<bytes> keys;     // 20-byte addresses and 32-byte slots (may be empty)
    std::vector<bytes> headers;  // RLP ancestor headers, ascending; the last is the parent

    friend bool operator==(const ExecutionWitness&, const ExecutionWitness&) = default;
};

enum class WitnessError
{
    None,
    Io,            // cannot read the file
    InvalidJson,   // not JSON
    RpcError,      // a JSON-RPC error response
    NotAnObject,   // the witness is not a JSON object
    MissingField,  // "state", "codes" or "headers" absent
    WrongType,     // a field is not an array of strings (or header objects)
    InvalidHex,    // an item is not 0x-hex of whole bytes
    HeaderObject,  // a JSON header object could not be encoded
    TooLarge,      // the input exceeds the configured size limit
    InvalidRlp,    // a binary (RLP) witness that is not go-ethereum's ExtWitness shape
};

struct ParseError
{
    WitnessError code = WitnessError::None;
    std::string message;  // names the field and item index
};

// Encodes one geth-style JSON header object (its text) to RLP; returns false with a message.
using HeaderEncoder =
    std::function<bool(std::string_view json_object, bytes& rlp, std::string& error)>;

struct ParseOptions
{
    HeaderEncoder header_encoder;  // required only for geth's header objects
    // Refuses larger inputs (uncompressed, checked while inflating); mainnet witnesses are tens of
    // MB of JSON.
    size_t max_input_bytes = size_t{1} << 30;
};

[[nodiscard]] bool parse_witness_json(std::string_view json, ExecutionWitness& out, ParseError& err,
    const ParseOptions& options = {});

// go-ethereum's binary ExtWitness: rlp([[header…], [code…], [node…], [key…]]).
[[nodiscard]] bool parse_witness_rlp(bytes_view rlp, ExecutionWitness& out, ParseError& err);

// Reads a file, gunzipping it when it is gzip-compressed (by content, not by name).
[[nodiscard]] bool read_maybe_gzip(
    const std::string& path, std::string& out, ParseError& err, size_t max_bytes = size_t{4} << 30);

[[nodiscard]] bool load_witness_file(const std::string& path, ExecutionWitness& out,
    ParseError& err, const ParseOptions& options = {});

// The canonical content rules (execution-apis draft #847, EELS build_execution_witness):
// state and codes sorted lexicographically and deduplicated, no inline empty node 0x80 in state,
// no empty code; keys sorted and deduplicated; headers sorted by block number is the chain
// code's job (it needs RLP), so their order is kept.
void canonicalize(ExecutionWitness& w);

// Serialises as {"state","codes",["keys",]"headers"} with "0x"-prefixed lower-case hex: the
// canonical shape (execution-apis #847) when keys is empty, which omits "keys".
[[nodiscard]] std::string to_json(const ExecutionWitness& w);

[[nodiscard]] const char* to_string(WitnessError e) noexcept;
}  // namespace stele::witness
