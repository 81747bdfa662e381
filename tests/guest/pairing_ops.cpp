// Runs pairing-curve precompiles on the guest (software path of stele_engine): the input is a
// sequence of records [address: 1 byte][length: 4 bytes LE][input bytes]; the output is, per
// record, [success: 1 byte][length: 4 bytes LE][output bytes]. tests/pairing compares this with
// the native build; bench/pairing counts its instructions.
#include <stele/guest.h>
#include <stele/zkvm_io.h>

#include "stateless/crypto/pairing_precompiles.hpp"

using namespace stele;
using namespace stele::crypto;

namespace
{
PrecompileResult run(uint8_t address, bytes_view in) noexcept
{
    switch (address)
    {
        case 0x06:
            return bn254_add(in);
        case 0x07:
            return bn254_mul(in);
        case 0x08:
            return bn254_pairing(in);
        case 0x0a:
            return kzg_point_evaluation(in);
        case 0x0b:
            return bls12_g1add(in);
        case 0x0c:
            return bls12_g1msm(in);
        case 0x0d:
            return bls12_g2add(in);
        case 0x0e:
            return bls12_g2msm(in);
        case 0x0f:
            return bls12_pairing(in);
        case 0x10:
            return bls12_map_fp_to_g1(in);
        case 0x11:
            return bls12_map_fp2_to_g2(in);
        default:
            stele_panic("pairing_ops: unknown precompile");
    }
}

uint32_t le32(const uint8_t* p) noexcept
{
    return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}
}  // namespace

int main()
{
    const uint8_t* in = nullptr;
    size_t size = 0;
    read_input(&in, &size);
    bytes out;
    size_t pos = 0;
    while (pos < size)
    {
        if (size - pos < 5)
            stele_panic("pairing_ops: truncated record");
        const uint8_t address = in[pos];
        const uint32_t len = le32(in + pos + 1);
        pos += 5;
        if (size - pos < len)
            stele_panic("pairing_ops: truncated input");
        const auto r = run(address, {in + pos, len});
        pos += len;
        out.push_back(r.success ? 1 : 0);
        const uint32_t n = uint32_t(r.output.size());
        for (int i = 0; i < 4; ++i)
            out.push_back(uint8_t(n >> (8 * i)));
        out.insert(out.end(), r.output.begin(), r.output.end());
    }
    write_output(out.data(), out.size());
    return 0;
}
