// Cycles of the same operations through the engine's software path and through the stelevm
// accelerator ecall, each in a named cycle region ("sw <op>" / "accel <op>"); the results must
// agree. tests/emulator/accel_test.cpp prints the table from the run's regions.
#include <stele/guest.h>
#include <stele/zkvm_accelerators.h>

#include <cstring>
#include <stateless/core/keccak.hpp>
#include <stateless/crypto/bls12_381.hpp>
#include <stateless/crypto/bn254.hpp>
#include <stateless/crypto/kzg.hpp>
#include <stateless/crypto/secp256k1.hpp>
#include <stateless/crypto/sha256.hpp>
#include <vector>

using namespace stele;
using namespace stele::crypto;

namespace
{
void check(bool ok, const char* what)
{
    if (!ok)
        stele_panic(what);
}

void parse_hex(const char* s, uint8_t* out, size_t n)
{
    auto v = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
    for (size_t i = 0; i < n; ++i)
        out[i] = static_cast<uint8_t>(v(s[2 * i]) << 4 | v(s[2 * i + 1]));
}

void hashes()
{
    std::vector<uint8_t> data(1024);
    for (size_t i = 0; i < data.size(); ++i)
        data[i] = static_cast<uint8_t>(i * 7 + 3);
    hash256 sw;
    zkvm_bytes_32 acc;
    {
        stele::CycleRegion r{"sw keccak256 1KiB"};
        sw = keccak256_software(data);
    }
    {
        stele::CycleRegion r{"accel keccak256 1KiB"};
        check(zkvm_keccak256(data.data(), data.size(), &acc) == ZKVM_EOK, "keccak");
    }
    check(std::memcmp(sw.bytes, acc.data, 32) == 0, "keccak differs");
    {
        stele::CycleRegion r{"sw sha256 1KiB"};
        sw = sha256_software(data);
    }
    {
        stele::CycleRegion r{"accel sha256 1KiB"};
        check(zkvm_sha256(data.data(), data.size(), &acc) == ZKVM_EOK, "sha256");
    }
    check(std::memcmp(sw.bytes, acc.data, 32) == 0, "sha256 differs");
}

void ecrecover()
{
    // Any (r, s) whose recovery succeeds is a valid signature; r = x of a curve point.
    uint8_t msg[32], sig[64];
    for (int i = 0; i < 32; ++i)
        msg[i] = static_cast<uint8_t>(i + 1);
    parse_hex(
        "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
        "2a1f3c4e5d6b7a8998a7b6c5d4e3f201112233445566778899aabbccddeeff00",
        sig, 64);
    std::optional<Secp256k1Pubkey> sw;
    zkvm_secp256k1_hash h;
    zkvm_secp256k1_signature s;
    zkvm_secp256k1_pubkey out;
    std::memcpy(h.data, msg, 32);
    std::memcpy(s.data, sig, 64);
    {
        stele::CycleRegion r{"sw secp256k1_ecrecover"};
        sw = secp256k1_recover_software(hash256::from({msg, 32}), sig, 0);
    }
    zkvm_status st;
    {
        stele::CycleRegion r{"accel secp256k1_ecrecover"};
        st = zkvm_secp256k1_ecrecover(&h, &s, 0, &out);
    }
    check(sw && st == ZKVM_EOK && std::memcmp(sw->bytes, out.data, 64) == 0, "ecrecover differs");
}

constexpr const char* kBnG2 =
    "198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2"
    "1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed"
    "090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b"
    "12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa";

void bn254_pairing()
{
    // e(G, Q) · e(-G, Q) = 1.
    std::vector<zkvm_bn254_pairing_pair> pairs(2);
    uint8_t* p = pairs[0].g1.data;
    p[31] = 1;
    p[63] = 2;
    parse_hex(kBnG2, pairs[0].g2.data, 128);
    std::memcpy(pairs[1].g1.data, pairs[0].g1.data, 32);
    parse_hex("30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd45",
        pairs[1].g1.data + 32, 32);  // p - 2
    std::memcpy(pairs[1].g2.data, pairs[0].g2.data, 128);
    bool sw = false, acc = false, ok;
    {
        stele::CycleRegion r{"sw bn254_pairing 2 pairs"};
        ok = bn254::pairing_check(reinterpret_cast<const uint8_t*>(pairs.data()), 2, sw);
    }
    zkvm_status st;
    {
        stele::CycleRegion r{"accel bn254_pairing 2 pairs"};
        st = zkvm_bn254_pairing(pairs.data(), 2, &acc);
    }
    check(ok && sw && st == ZKVM_EOK && acc, "bn254 pairing differs");
}

void bls_pairing()
{
    namespace bls = bls12_381;
    std::vector<zkvm_bls12_381_pairing_pair> pairs(2);
    bls::encode_g1(bls::g1_generator(), pairs[0].g1.data);
    bls::encode_g2(bls::g2_generator(), pairs[0].g2.data);
    bls::encode_g1(bls::g1_generator().neg(), pairs[1].g1.data);
    bls::encode_g2(bls::g2_generator(), pairs[1].g2.data);
    bool sw = false, acc = false, ok;
    {
        stele::CycleRegion r{"sw bls12_pairing 2 pairs"};
        ok = bls::pairing_check(reinterpret_cast<const uint8_t*>(pairs.data()), 2, sw);
    }
    zkvm_status st;
    {
        stele::CycleRegion r{"accel bls12_pairing 2 pairs"};
        st = zkvm_bls12_pairing(pairs.data(), 2, &acc);
    }
    check(ok && sw && st == ZKVM_EOK && acc, "bls12 pairing differs");
}

void kzg_point_eval()
{
    // The constant polynomial y: commitment [y]G1, proof = infinity.
    zkvm_kzg_commitment c;
    zkvm_kzg_field_element z, y;
    zkvm_kzg_proof proof{};
    proof.data[0] = 0xc0;
    for (int i = 0; i < 32; ++i)
    {
        z.data[i] = static_cast<uint8_t>(i * 3 + 1);
        y.data[i] = static_cast<uint8_t>(i * 5 + 2);
    }
    z.data[0] = y.data[0] = 0x12;
    bls12_381::compress_g1(
        bls12_381::G1J::from(bls12_381::g1_generator()).mul_be(y.data, 32).to_affine(), c.data);
    bool sw = false, acc = false;
    kzg::Status s;
    {
        stele::CycleRegion r{"sw kzg_point_eval"};
        s = kzg::verify_kzg_proof(c.data, z.data, y.data, proof.data, sw);
    }
    zkvm_status st;
    {
        stele::CycleRegion r{"accel kzg_point_eval"};
        st = zkvm_kzg_point_eval(&c, &z, &y, &proof, &acc);
    }
    check(s == kzg::Status::ok && sw && st == ZKVM_EOK && acc, "kzg differs");
}
}  // namespace

int main()
{
    hashes();
    ecrecover();
    bn254_pairing();
    bls_pairing();
    kzg_point_eval();
    return 0;
}
