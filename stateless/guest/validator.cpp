// The stateless validator guest: StatelessInput bytes in, StatelessValidationResult bytes out
// (execution-specs `stateless_guest`).
//
//   read_input → decode_stateless_input (zkevm_v0_3 or prefixed_r1)   [undecodable: all zeros]
//   root = hash_tree_root(new_payload_request)
//   payload → block: header rebuilt, block_hash and versioned hashes checked
//   validate(block, witness) with the chain config of (chain_id, schema fork), each sender
//   verified against its given public key (not recovered)
//   write_output(encode(StatelessValidationResult{root, ok, chain_id, schema_id}))
//
// Every rejection is logged through write_log with its reason; the output only says false.
// Amsterdam inputs (the zkevm_v0_3 fixtures): the engine does not execute Amsterdam, so the
// result is the right root with successful_validation = false and a log line saying why.
#include <stele/guest.h>
#include <stele/zkvm_io.h>

#include <stateless/core/profile.hpp>
#include <stateless/crypto/secp256k1.hpp>
#include <stateless/evm/precompiles.hpp>
#include <stateless/validate/payload.hpp>
#include <stateless/validate/stateless_input.hpp>
#include <stateless/validate/validate.hpp>
#include <string>

namespace
{
using namespace stele;

void log(std::string_view prefix, std::string_view what)
{
    std::string s{prefix};
    s.append(what);
    write_log(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

// EIP-7702 authorities are still recovered (they carry no public key in the input).
std::optional<address> recover(const hash256& msg, uint8_t y, const uint256& r, const uint256& s)
{
    uint8_t sig[64];
    store_be(sig, r);
    store_be(sig + 32, s);
    const auto pub = crypto::secp256k1_recover(msg, sig, y);
    if (!pub)
        return std::nullopt;
    return crypto::pubkey_to_address(*pub);
}

// Whether the block of `in` is valid; logs the reason when not.
bool verify(const stateless::StatelessInput& in)
{
    const auto config = stateless::chain_config_for(in.fork, in.chain_id);
    if (!config)
    {
        log("stele: fork not executed by this engine: ", stateless::to_string(in.fork));
        return false;
    }
    chain::Block block;
    {
        const profile::Region region{"payload"};
        const stateless::PayloadResult p = stateless::payload_to_block(in, block);
        if (!p.ok())
        {
            log("stele: payload rejected: ", stateless::payload_error_name(p.error));
            return false;
        }
    }
    std::vector<stateless::PublicKey> keys(in.public_keys.size());
    for (size_t i = 0; i < keys.size(); ++i)
    {
        if (in.public_keys[i].size() != stateless::public_key_size)
        {
            log("stele: ", "malformed public key");
            return false;
        }
        std::memcpy(keys[i].bytes, in.public_keys[i].data(), stateless::public_key_size);
    }
    const evm::PrecompileTable precompiles = evm::default_precompiles();
    stateless::ValidateOptions vo;
    vo.config = &*config;
    vo.precompiles = &precompiles;
    vo.recover = recover;
    vo.use_public_keys = true;
    vo.public_keys = keys;
    const stateless::WitnessView w{in.witness.state, in.witness.codes, in.witness.headers};
    const stateless::ValidationResult r = stateless::validate(block, w, vo);
    if (r.ok())
        return true;
    if (r.status == stateless::Status::block_invalid)
        log("stele: block invalid: ", chain::error_name(r.block_error));
    else
        log("stele: witness: ", stateless::status_name(r.status));
    return false;
}
}  // namespace

int main()
{
    profile::g_region_start = stele_cycle_region_start;
    profile::g_region_end = stele_cycle_region_end;

    const uint8_t* data = nullptr;
    size_t size = 0;
    read_input(&data, &size);

    stateless::StatelessInput in;
    stateless::StatelessValidationResult result;
    stateless::SchemaVersion schema = stateless::SchemaVersion::prefixed_r1;
    bool decoded = false;
    {
        const profile::Region region{"decode"};
        decoded = stateless::decode_stateless_input({data, size}, in) == ssz::Error::success;
    }
    if (!decoded)
    {
        // execution-specs `_default_failed_stateless_output`: every field zero. The schema of
        // undecodable bytes is unknown: the prefixed layout (43 bytes) unless they looked like
        // the unprefixed one.
        if (stateless::detect_schema({data, size}) == stateless::SchemaVersion::zkevm_v0_3)
            schema = stateless::SchemaVersion::zkevm_v0_3;
        log("stele: ", "input does not decode");
    }
    else
    {
        schema = in.schema;
        {
            const profile::Region region{"payload_root"};
            result.new_payload_request_root = stateless::new_payload_request_root(in);
        }
        result.chain_id = in.chain_id;
        if (in.schema == stateless::SchemaVersion::prefixed_r1)
            result.schema_id = stateless::schema_id(in.fork);
        result.successful_validation = verify(in);
    }
    const bytes out = stateless::encode_validation_result(result, schema);
    write_output(out.data(), out.size());
    return 0;
}
