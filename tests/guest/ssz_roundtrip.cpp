// Decodes a stateless input (any known schema), re-encodes it and computes the payload-request
// root, on RV64IM. Writes the SSZ StatelessValidationResult of its schema with
// successful_validation = "the re-encoding is byte-identical", so the host can compare the
// guest's root with its own. On a decoding error writes {0xff, error} and exits 1.
#include <stele/zkvm_io.h>

#include <cstring>
#include <stateless/validate/stateless_input.hpp>

int main()
{
    using namespace stele;
    const uint8_t* input = nullptr;
    size_t size = 0;
    read_input(&input, &size);

    stateless::StatelessInput in;
    const ssz::Error e = stateless::decode_stateless_input({input, size}, in);
    if (e != ssz::Error::success)
    {
        const uint8_t out[2] = {0xff, static_cast<uint8_t>(e)};
        write_output(out, sizeof out);
        return 1;
    }
    const bytes again = stateless::encode_stateless_input(in);
    const bool identical = again.size() == size && std::memcmp(again.data(), input, size) == 0;

    stateless::StatelessValidationResult r;
    r.new_payload_request_root = stateless::new_payload_request_root(in);
    r.successful_validation = identical;
    r.chain_id = in.chain_id;
    if (in.schema == stateless::SchemaVersion::prefixed_r1)
        r.schema_id = stateless::schema_id(in.fork);
    const bytes out = stateless::encode_validation_result(r, in.schema);
    write_output(out.data(), out.size());
    return identical ? 0 : 2;
}
