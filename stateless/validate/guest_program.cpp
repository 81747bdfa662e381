#include "guest_program.hpp"

#include <cstring>
#include <string>

#include "../core/profile.hpp"
#include "../crypto/secp256k1.hpp"
#include "../evm/precompiles.hpp"
#include "payload.hpp"
#include "stateless_input.hpp"
#include "validate.hpp"

namespace stele::stateless
{
namespace
{
void say(GuestLogFn log, std::string_view prefix, std::string_view what)
{
    if (!log)
        return;
    std::string s{prefix};
    s.append(what);
    log(s);
}

// Whether the block of `in` is valid; logs the reason when not.
bool verify(const StatelessInput& in, GuestLogFn log)
{
    const auto config = chain_config_for(in.fork, in.chain_id);
    if (!config)
    {
        say(log, "stele: fork not executed by this engine: ", to_string(in.fork));
        return false;
    }
    chain::Block block;
    {
        const profile::Region region{"payload"};
        const PayloadResult p = payload_to_block(in, block);
        if (!p.ok())
        {
            say(log, "stele: payload rejected: ", payload_error_name(p.error));
            return false;
        }
    }
    std::vector<PublicKey> keys(in.public_keys.size());
    for (size_t i = 0; i < keys.size(); ++i)
    {
        if (in.public_keys[i].size() != public_key_size)
        {
            say(log, "stele: ", "malformed public key");
            return false;
        }
        std::memcpy(keys[i].bytes, in.public_keys[i].data(), public_key_size);
    }
    const evm::PrecompileTable precompiles = evm::default_precompiles();
    ValidateOptions vo;
    vo.config = &*config;
    vo.precompiles = &precompiles;
    // EIP-7702 authorities (and senders, when the input has no public keys) are recovered.
    vo.recover = crypto::recover_signer;
    // The v0.3 fixtures leave the list empty: senders are recovered, as in the v21 layout that
    // has no list at all.
    vo.use_public_keys =
        in.has_public_keys && !(in.schema == SchemaVersion::zkevm_v0_3 && in.public_keys.empty());
    vo.public_keys = keys;
    vo.headers_in_order = true;
    const WitnessView w{in.witness.state, in.witness.codes, in.witness.headers};
    const ValidationResult r = validate(block, w, vo);
    if (r.ok())
        return true;
    if (r.status == Status::block_invalid)
        say(log, "stele: block invalid: ", chain::error_name(r.block_error));
    else
        say(log, "stele: witness: ", status_name(r.status));
    return false;
}
}  // namespace

bytes run_stateless_program(bytes_view input, GuestLogFn log)
{
    StatelessInput in;
    StatelessValidationResult result;
    SchemaVersion schema = SchemaVersion::prefixed_r1;
    bool decoded = false;
    {
        const profile::Region region{"decode"};
        decoded = decode_stateless_input(input, in) == ssz::Error::success;
    }
    if (!decoded)
    {
        // execution-specs `_default_failed_stateless_output`: every field zero. The schema of
        // undecodable bytes is unknown: the prefixed layout (43 bytes) unless they looked like
        // the unprefixed one.
        if (detect_schema(input) == SchemaVersion::zkevm_v0_3)
            schema = SchemaVersion::zkevm_v0_3;
        say(log, "stele: ", "input does not decode");
    }
    else
    {
        schema = in.schema;
        {
            const profile::Region region{"payload_root"};
            result.new_payload_request_root = new_payload_request_root(in);
        }
        result.chain_id = in.chain_id;
        if (in.schema == SchemaVersion::prefixed_r1)
            result.schema_id = schema_id(in.fork);
        result.successful_validation = verify(in, log);
    }
    return encode_validation_result(result, schema);
}
}  // namespace stele::stateless
