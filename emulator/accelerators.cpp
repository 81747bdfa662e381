// The accelerator table (accelerators.hpp): argument access, one function per accelerator, and
// Machine::accelerator, which the ecall dispatch calls for STELEVM_ACCEL_BASE + 1 .. + 19.
#include "accelerators.hpp"

#include <stele/stelevm_abi.h>
#include <stele/zkvm_accelerators.h>

#include <cstdio>
#include <cstring>
#include <stateless/core/keccak.hpp>
#include <stateless/crypto/blake2f.hpp>
#include <stateless/crypto/bls12_381.hpp>
#include <stateless/crypto/bn254.hpp>
#include <stateless/crypto/kzg.hpp>
#include <stateless/crypto/modexp.hpp>
#include <stateless/crypto/p256.hpp>
#include <stateless/crypto/ripemd160.hpp>
#include <stateless/crypto/secp256k1.hpp>
#include <stateless/crypto/sha256.hpp>

#include "machine.hpp"

static_assert(STELEVM_ACCEL_COUNT == stele::emu::kAccelCount);

namespace stele::emu
{
namespace
{
std::string hex(uint64_t v)
{
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
    return buf;
}

// The arguments of one accelerator call: registers a0..a6 and the guest buffers they point to.
// Inputs are host pointers into the flat guest memory, checked readable; outputs are checked
// writable before the computation (a bad output pointer traps even when the call would fail) and
// written after it. The first bad pointer is recorded and every later access fails, so an
// accelerator can return early on nullptr without checking each step.
class AccelArgs
{
public:
    AccelArgs(Memory& mem, const uint64_t* a) noexcept : m_mem{mem}, m_a{a} {}

    [[nodiscard]] uint64_t reg(unsigned i) const noexcept
    {
        return m_a[i];
    }

    // `size` bytes at the address in a<i>; nullptr when they are not readable.
    const uint8_t* in(unsigned i, uint64_t size, const char* what) noexcept
    {
        static constexpr uint8_t kEmpty[1] = {0};
        if (m_fault.kind != FaultKind::None)
            return nullptr;
        if (const Memory::Access a = m_mem.check_read(m_a[i], size); a != Memory::Access::Ok)
        {
            record(a, m_a[i], size, what, "readable");
            return nullptr;
        }
        m_input_bytes += size;
        return size ? m_mem.base() + m_a[i] : kEmpty;
    }

    // `count` elements of `stride` bytes at the address in a<i> (count from a guest register).
    const uint8_t* in_array(unsigned i, uint64_t count, uint64_t stride, const char* what) noexcept
    {
        if (count > Memory::kSpace / stride)
        {
            if (m_fault.kind == FaultKind::None)
                record(Memory::Access::Fault, m_a[i], UINT64_MAX, what, "addressable");
            return nullptr;
        }
        return in(i, count * stride, what);
    }

    // Whether `size` bytes at the address in a<i> may be written.
    bool out(unsigned i, uint64_t size, const char* what) noexcept
    {
        if (m_fault.kind != FaultKind::None)
            return false;
        if (const Memory::Access a = m_mem.check_write(m_a[i], size); a != Memory::Access::Ok)
        {
            record(a, m_a[i], size, what, "writable");
            return false;
        }
        return true;
    }

    // Writes an output checked with out().
    void put(unsigned i, const uint8_t* data, uint64_t size) noexcept
    {
        (void)m_mem.write(m_a[i], std::span(data, static_cast<size_t>(size)));
    }
    void put_bool(unsigned i, bool v) noexcept
    {
        const uint8_t b = v ? 1 : 0;
        put(i, &b, 1);
    }

    // A resource limit of stelevm (not a property of the arguments' memory).
    void refuse(std::string what)
    {
        if (m_fault.kind != FaultKind::None)
            return;
        m_fault.kind = FaultKind::Fault;
        m_fault.address = 0;
        m_fault.what = std::move(what);
    }

    enum class FaultKind : uint8_t
    {
        None,
        Fault,
        Limit,
    };
    struct Fault
    {
        FaultKind kind = FaultKind::None;
        uint64_t address = 0;
        std::string what;
    };
    [[nodiscard]] const Fault& fault() const noexcept
    {
        return m_fault;
    }
    [[nodiscard]] uint64_t input_bytes() const noexcept
    {
        return m_input_bytes;
    }
    void add_work(uint64_t units) noexcept
    {
        m_work += units;
    }
    [[nodiscard]] uint64_t work() const noexcept
    {
        return m_work;
    }

private:
    void record(Memory::Access a, uint64_t addr, uint64_t size, const char* what, const char* need)
    {
        m_fault.kind = a == Memory::Access::Limit ? FaultKind::Limit : FaultKind::Fault;
        m_fault.address = addr;
        m_fault.what = std::string{"argument `"} + what + "` [" + hex(addr) + ", +" +
                       (size == UINT64_MAX ? std::string{"overflow"} : hex(size)) + ") is not " +
                       (a == Memory::Access::Limit ? "writable within the memory limit" : need);
    }

    Memory& m_mem;
    const uint64_t* m_a;
    Fault m_fault;
    uint64_t m_input_bytes = 0;
    uint64_t m_work = 0;
};

constexpr zkvm_status EOK = ZKVM_EOK;
constexpr uint64_t kModexpWorkLimit = uint64_t{1} << 28;
// Work bounds for the other accelerators whose cost grows with an argument (the host computes
// outside the cycle limit, so one ecall must not stall the emulator). Each is above what all the
// gas of a 60M-gas block buys for the matching EVM precompile or opcode, so EVM inputs never
// reach it: KECCAK256 at 6 gas per word buys 320 MB (and SHA-256, RIPEMD-160 less);
// BLAKE2F costs 1 gas per round (EIP-152); a BN254 pair costs 34,000 gas (EIP-1108), a
// BLS12-381 pair 32,600 and an MSM pair at least ~1,000 after the discount (EIP-2537).
constexpr uint64_t kHashBytesLimit = uint64_t{1} << 29;
constexpr uint64_t kBlake2fRoundLimit = uint64_t{1} << 26;
constexpr uint64_t kPairingPairLimit = uint64_t{1} << 12;
constexpr uint64_t kMsmPairLimit = uint64_t{1} << 16;

// Refuses a call whose work argument is above its bound: an ecall_fault naming the limit.
// Within the bound the value is the call's work (AccelStats::work).
bool within(AccelArgs& a, uint64_t value, uint64_t limit, const char* what)
{
    if (value <= limit)
    {
        a.add_work(value);
        return true;
    }
    a.refuse(std::string{what} + " of " + std::to_string(value) + " exceeds stelevm's limit of " +
             std::to_string(limit) + " per call");
    return false;
}
constexpr zkvm_status EFAIL = ZKVM_EFAIL;

// Hashes: (data, len, output).
template <size_t OutOffset, typename F>
zkvm_status hash_call(AccelArgs& a, F hash)
{
    if (!within(a, a.reg(1), kHashBytesLimit, "an input length"))
        return EFAIL;
    const uint8_t* data = a.in(0, a.reg(1), "data");
    if (!data || !a.out(2, 32, "output"))
        return EFAIL;
    const auto h = hash(bytes_view{data, static_cast<size_t>(a.reg(1))});
    uint8_t out[32] = {};
    static_assert(OutOffset + sizeof(h.bytes) == 32);
    std::memcpy(out + OutOffset, h.bytes, sizeof(h.bytes));
    a.put(2, out, 32);
    return EOK;
}

zkvm_status keccak256(AccelArgs& a)
{
    return hash_call<0>(a, [](bytes_view d) { return keccak256_software(d); });
}
zkvm_status sha256(AccelArgs& a)
{
    return hash_call<0>(a, [](bytes_view d) { return crypto::sha256_software(d); });
}
// The 20-byte digest right-aligned: the first 12 bytes are zero.
zkvm_status ripemd160(AccelArgs& a)
{
    return hash_call<12>(a, [](bytes_view d) { return crypto::ripemd160_software(d); });
}

// Signature verification: an invalid signature or key is EOK with *verified = false.
zkvm_status secp256k1_verify(AccelArgs& a)
{
    const uint8_t* msg = a.in(0, 32, "msg");
    const uint8_t* sig = a.in(1, 64, "sig");
    const uint8_t* pub = a.in(2, 64, "pubkey");
    if (!msg || !sig || !pub || !a.out(3, 1, "verified"))
        return EFAIL;
    a.put_bool(3, crypto::secp256k1_verify_software(
                      hash256::from({msg, 32}), sig, crypto::Secp256k1Pubkey::from({pub, 64})));
    return EOK;
}

zkvm_status secp256r1_verify(AccelArgs& a)
{
    const uint8_t* msg = a.in(0, 32, "msg");
    const uint8_t* sig = a.in(1, 64, "sig");
    const uint8_t* pub = a.in(2, 64, "pubkey");
    if (!msg || !sig || !pub || !a.out(3, 1, "verified"))
        return EFAIL;
    a.put_bool(3, crypto::p256_verify_software(msg, sig, sig + 32, pub, pub + 32));
    return EOK;
}

// recid 0 or 1 (the parity of R.y); r or s not in [1, n), r not an x on the curve, or an
// infinite result: EFAIL. High s is accepted (the same key as (n - s, recid ^ 1)).
zkvm_status secp256k1_ecrecover(AccelArgs& a)
{
    const uint8_t* msg = a.in(0, 32, "msg");
    const uint8_t* sig = a.in(1, 64, "sig");
    const auto recid = static_cast<uint8_t>(a.reg(2));
    if (!msg || !sig || !a.out(3, 64, "output"))
        return EFAIL;
    if (recid > 1)
        return EFAIL;
    const auto key = crypto::secp256k1_recover_software(hash256::from({msg, 32}), sig, recid);
    if (!key)
        return EFAIL;
    a.put(3, key->bytes, 64);
    return EOK;
}

// Exactly mod_len bytes, left-padded; a zero modulus gives zeros, an empty exponent 1 mod m.
zkvm_status modexp(AccelArgs& a)
{
    const uint64_t base_len = a.reg(1), exp_len = a.reg(3), mod_len = a.reg(5);
    const uint8_t* base = a.in(0, base_len, "base");
    const uint8_t* exp = a.in(2, exp_len, "exp");
    const uint8_t* mod = a.in(4, mod_len, "modulus");
    if (!base || !exp || !mod || !a.out(6, mod_len, "output"))
        return EFAIL;
    // The host computes in the ecall, outside the cycle limit: a bound on the work keeps a guest
    // from stalling the emulator (at the bound the engine needs a few seconds). It is above what
    // all the gas of a 60M-gas block buys under EIP-2565 (words² × exponent bits ≈ 3 × gas =
    // 1.8e8) and above EIP-7823's largest input (1024-byte operands: 2^27), so EVM inputs never
    // reach it.
    const uint64_t words = (mod_len + 7) / 8;
    const uint64_t exp_bits = crypto::bit_length({exp, static_cast<size_t>(exp_len)});
    const uint64_t base_words = (base_len + 7) / 8;
    const unsigned __int128 work = static_cast<unsigned __int128>(words) * words * exp_bits +
                                   static_cast<unsigned __int128>(base_words) * words;
    if (work > kModexpWorkLimit)
    {
        a.refuse("exponent of " + std::to_string(exp_bits) + " bits with a modulus of " +
                 std::to_string(mod_len) + " bytes exceeds stelevm's modexp work limit (" +
                 "modulus words^2 * exponent bits <= 2^28)");
        return EFAIL;
    }
    a.add_work(static_cast<uint64_t>(work));
    bytes out;
    crypto::modexp_software({base, static_cast<size_t>(base_len)},
        {exp, static_cast<size_t>(exp_len)}, {mod, static_cast<size_t>(mod_len)}, out);
    a.put(6, out.data(), out.size());
    return EOK;
}

// BN254 in the EVM encoding; invalid points (coordinate >= p, off the curve, G2 outside the
// subgroup) are EFAIL.
zkvm_status bn254_g1_add(AccelArgs& a)
{
    const uint8_t* p1 = a.in(0, 64, "p1");
    const uint8_t* p2 = a.in(1, 64, "p2");
    if (!p1 || !p2 || !a.out(2, 64, "result"))
        return EFAIL;
    uint8_t out[64];
    if (!crypto::bn254::g1_add(p1, p2, out))
        return EFAIL;
    a.put(2, out, 64);
    return EOK;
}

zkvm_status bn254_g1_mul(AccelArgs& a)
{
    const uint8_t* p = a.in(0, 64, "point");
    const uint8_t* s = a.in(1, 32, "scalar");
    if (!p || !s || !a.out(2, 64, "result"))
        return EFAIL;
    uint8_t out[64];
    if (!crypto::bn254::g1_mul(p, s, out))
        return EFAIL;
    a.put(2, out, 64);
    return EOK;
}

// 0 pairs: verified = true (the empty product is one).
zkvm_status bn254_pairing(AccelArgs& a)
{
    const uint64_t n = a.reg(1);
    if (!within(a, n, kPairingPairLimit, "a pair count"))
        return EFAIL;
    const uint8_t* pairs = a.in_array(0, n, 192, "pairs");
    if (!pairs || !a.out(2, 1, "verified"))
        return EFAIL;
    bool verified = false;
    if (!crypto::bn254::pairing_check(pairs, static_cast<size_t>(n), verified))
        return EFAIL;
    a.put_bool(2, verified);
    return EOK;
}

// rounds is the native uint32 (sign-extended in a0 by the RV64 calling convention); h, m, t hold
// little-endian words; f other than 0 or 1 is EFAIL. h is updated in place.
zkvm_status blake2f(AccelArgs& a)
{
    const auto rounds = static_cast<uint32_t>(a.reg(0));
    if (!within(a, rounds, kBlake2fRoundLimit, "a round count"))
        return EFAIL;
    const uint8_t* h = a.in(1, 64, "h");
    const uint8_t* m = a.in(2, 128, "m");
    const uint8_t* t = a.in(3, 16, "t");
    const auto f = static_cast<uint8_t>(a.reg(4));
    if (!h || !m || !t || !a.out(1, 64, "h"))
        return EFAIL;
    if (f > 1)
        return EFAIL;
    auto le64 = [](const uint8_t* p)
    {
        uint64_t v = 0;
        for (int i = 7; i >= 0; --i)
            v = v << 8 | p[i];
        return v;
    };
    uint64_t hw[8], mw[16], tw[2];
    for (int i = 0; i < 8; ++i)
        hw[i] = le64(h + 8 * i);
    for (int i = 0; i < 16; ++i)
        mw[i] = le64(m + 8 * i);
    for (int i = 0; i < 2; ++i)
        tw[i] = le64(t + 8 * i);
    crypto::blake2f_software(rounds, hw, mw, tw, f == 1);
    uint8_t out[64];
    for (int i = 0; i < 64; ++i)
        out[i] = static_cast<uint8_t>(hw[i / 8] >> (8 * (i % 8)));
    a.put(1, out, 64);
    return EOK;
}

// z or y not below the BLS modulus, or a commitment / proof that is not a compressed subgroup
// point: EFAIL; otherwise EOK with the pairing check's answer.
zkvm_status kzg_point_eval(AccelArgs& a)
{
    const uint8_t* c = a.in(0, 48, "commitment");
    const uint8_t* z = a.in(1, 32, "z");
    const uint8_t* y = a.in(2, 32, "y");
    const uint8_t* proof = a.in(3, 48, "proof");
    if (!c || !z || !y || !proof || !a.out(4, 1, "verified"))
        return EFAIL;
    bool verified = false;
    if (crypto::kzg::verify_kzg_proof(c, z, y, proof, verified) != crypto::kzg::Status::ok)
        return EFAIL;
    a.put_bool(4, verified);
    return EOK;
}

// BLS12-381 with unpadded 48-byte field elements: non-canonical coordinates and off-curve
// points are EFAIL everywhere; MSM and pairing also check the subgroup, ADD does not.
template <size_t In, size_t Out, bool (*F)(const uint8_t*, const uint8_t*, uint8_t*)>
zkvm_status bls_binary(AccelArgs& a)
{
    const uint8_t* p1 = a.in(0, In, "p1");
    const uint8_t* p2 = a.in(1, In, "p2");
    if (!p1 || !p2 || !a.out(2, Out, "result"))
        return EFAIL;
    uint8_t out[Out];
    if (!F(p1, p2, out))
        return EFAIL;
    a.put(2, out, Out);
    return EOK;
}

// 0 pairs: the point at infinity (zeros).
template <size_t Stride, size_t Out, bool (*F)(const uint8_t*, size_t, uint8_t*)>
zkvm_status bls_msm(AccelArgs& a)
{
    const uint64_t n = a.reg(1);
    if (!within(a, n, kMsmPairLimit, "a pair count"))
        return EFAIL;
    const uint8_t* pairs = a.in_array(0, n, Stride, "pairs");
    if (!pairs || !a.out(2, Out, "result"))
        return EFAIL;
    uint8_t out[Out];
    if (!F(pairs, static_cast<size_t>(n), out))
        return EFAIL;
    a.put(2, out, Out);
    return EOK;
}

zkvm_status bls12_pairing(AccelArgs& a)
{
    const uint64_t n = a.reg(1);
    if (!within(a, n, kPairingPairLimit, "a pair count"))
        return EFAIL;
    const uint8_t* pairs = a.in_array(0, n, 288, "pairs");
    if (!pairs || !a.out(2, 1, "verified"))
        return EFAIL;
    bool verified = false;
    if (!crypto::bls12_381::pairing_check(pairs, static_cast<size_t>(n), verified))
        return EFAIL;
    a.put_bool(2, verified);
    return EOK;
}

template <size_t In, size_t Out, bool (*F)(const uint8_t*, uint8_t*)>
zkvm_status bls_map(AccelArgs& a)
{
    const uint8_t* fe = a.in(0, In, "field_element");
    if (!fe || !a.out(1, Out, "result"))
        return EFAIL;
    uint8_t out[Out];
    if (!F(fe, out))
        return EFAIL;
    a.put(1, out, Out);
    return EOK;
}

bool bls_g1_add(const uint8_t* a, const uint8_t* b, uint8_t* out)
{
    return crypto::bls12_381::g1_add(a, b, out);
}
bool bls_g2_add(const uint8_t* a, const uint8_t* b, uint8_t* out)
{
    return crypto::bls12_381::g2_add(a, b, out);
}
bool bls_g1_msm(const uint8_t* p, size_t n, uint8_t* out)
{
    return crypto::bls12_381::g1_msm(p, n, out);
}
bool bls_g2_msm(const uint8_t* p, size_t n, uint8_t* out)
{
    return crypto::bls12_381::g2_msm(p, n, out);
}
bool bls_map_g1(const uint8_t* in, uint8_t* out)
{
    return crypto::bls12_381::map_fp_to_g1(in, out);
}
bool bls_map_g2(const uint8_t* in, uint8_t* out)
{
    return crypto::bls12_381::map_fp2_to_g2(in, out);
}

struct AccelEntry
{
    const char* name;
    zkvm_status (*fn)(AccelArgs&);
};

// Index n - 1 serves accelerator n (zkvm_accelerators.h order).
constexpr AccelEntry kTable[kAccelCount] = {
    {"keccak256", keccak256},
    {"secp256k1_verify", secp256k1_verify},
    {"secp256k1_ecrecover", secp256k1_ecrecover},
    {"sha256", sha256},
    {"ripemd160", ripemd160},
    {"modexp", modexp},
    {"bn254_g1_add", bn254_g1_add},
    {"bn254_g1_mul", bn254_g1_mul},
    {"bn254_pairing", bn254_pairing},
    {"blake2f", blake2f},
    {"kzg_point_eval", kzg_point_eval},
    {"bls12_g1_add", bls_binary<96, 96, bls_g1_add>},
    {"bls12_g1_msm", bls_msm<128, 96, bls_g1_msm>},
    {"bls12_g2_add", bls_binary<192, 192, bls_g2_add>},
    {"bls12_g2_msm", bls_msm<224, 192, bls_g2_msm>},
    {"bls12_pairing", bls12_pairing},
    {"bls12_map_fp_to_g1", bls_map<48, 96, bls_map_g1>},
    {"bls12_map_fp2_to_g2", bls_map<96, 192, bls_map_g2>},
    {"secp256r1_verify", secp256r1_verify},
};
}  // namespace

const char* accel_name(unsigned number) noexcept
{
    return number >= 1 && number <= kAccelCount ? kTable[number - 1].name : "";
}

unsigned accel_number(std::string_view name) noexcept
{
    if (name.substr(0, 5) == "zkvm_")
        name.remove_prefix(5);
    for (unsigned i = 0; i < kAccelCount; ++i)
        if (name == kTable[i].name)
            return i + 1;
    return 0;
}

bool Machine::accelerator(uint64_t pc, unsigned number)
{
    AccelArgs args{m_mem, m_x + 10};
    const zkvm_status status = kTable[number - 1].fn(args);
    AccelStats& s = m_accel[number];
    ++s.calls;
    s.input_bytes += args.input_bytes();
    s.work += args.work();
    if (const auto& f = args.fault(); f.kind != AccelArgs::FaultKind::None)
    {
        stop_trap(TrapKind::EcallFault, f.address,
            "accelerator zkvm_" + std::string{kTable[number - 1].name} + " (ecall " +
                hex(STELEVM_ACCEL_BASE + number) + ") at pc " + hex(pc) + ": " + f.what);
        if (f.kind == AccelArgs::FaultKind::Limit)
            m_result.outcome = Outcome::MemoryLimit;
        return false;
    }
    if (status != ZKVM_EOK)
        ++s.failures;
    m_x[10] = static_cast<uint64_t>(static_cast<int64_t>(status));
    return true;
}
}  // namespace stele::emu
