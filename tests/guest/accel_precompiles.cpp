// The accelerated engine end to end: precompile inputs from the input run through the precompile
// table of stele_engine_accel (every accelerated primitive is a stelevm accelerator ecall), and
// the results go to the output; tests/emulator/accel_test.cpp compares them with the host
// engine's software precompiles.
//
// Input: records [address u16 LE][input length u32 LE][input]. Output per record:
// [success u8][gas used i64 LE][output length u32 LE][output].
#include <stele/guest.h>
#include <stele/zkvm_io.h>

#include <stateless/evm/precompiles.hpp>

using namespace stele;

int main()
{
    const uint8_t* in = nullptr;
    size_t n = 0;
    read_input(&in, &n);
    const evm::PrecompileTable table = evm::default_precompiles();
    bytes out;
    size_t pos = 0;
    while (pos < n)
    {
        if (n - pos < 6)
            stele_panic("accel_precompiles: truncated record header");
        const unsigned addr = in[pos] | unsigned{in[pos + 1]} << 8;
        const uint32_t len = uint32_t{in[pos + 2]} | uint32_t{in[pos + 3]} << 8 |
                             uint32_t{in[pos + 4]} << 16 | uint32_t{in[pos + 5]} << 24;
        pos += 6;
        if (n - pos < len)
            stele_panic("accel_precompiles: truncated record");
        address a;
        a.bytes[18] = static_cast<uint8_t>(addr >> 8);
        a.bytes[19] = static_cast<uint8_t>(addr);
        if (evm::PrecompileTable::index_of(a) < 0 || !table.entry(a).fn)
            stele_panic("accel_precompiles: not a precompile with an implementation");
        bytes result;
        const evm::PrecompileResult r =
            table.entry(a).fn({in + pos, len}, INT64_MAX / 2, kLatestFork, result);
        pos += len;
        out.push_back(r.success ? 1 : 0);
        for (int i = 0; i < 8; ++i)
            out.push_back(static_cast<uint8_t>(static_cast<uint64_t>(r.gas_used) >> (8 * i)));
        const auto rl = static_cast<uint32_t>(result.size());
        for (int i = 0; i < 4; ++i)
            out.push_back(static_cast<uint8_t>(rl >> (8 * i)));
        out.insert(out.end(), result.begin(), result.end());
    }
    write_output(out.data(), out.size());
    return 0;
}
