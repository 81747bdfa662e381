/* stelevm backend: the 19 zkvm_accelerators.h functions as ecalls. a7 = STELEVM_ACCEL_BASE + n
 * (n = the function's number in the header), a0.. = the C arguments in order, a0 = zkvm_status on
 * return. stelevm computes the result on the host and writes it to the output pointers (ABI.md).
 * The "memory" clobber makes the compiler flush the inputs before and reload the outputs after. */
#include <stele/stelevm_abi.h>
#include <stele/zkvm_accelerators.h>

#define ACCEL_OUT "+r"(r_a0)

static inline zkvm_status accel2(long n, long a0, long a1)
{
    register long r_a0 __asm__("a0") = a0;
    register long r_a1 __asm__("a1") = a1;
    register long r_a7 __asm__("a7") = n;
    __asm__ volatile("ecall" : ACCEL_OUT : "r"(r_a1), "r"(r_a7) : "memory");
    return (zkvm_status)r_a0;
}

static inline zkvm_status accel3(long n, long a0, long a1, long a2)
{
    register long r_a0 __asm__("a0") = a0;
    register long r_a1 __asm__("a1") = a1;
    register long r_a2 __asm__("a2") = a2;
    register long r_a7 __asm__("a7") = n;
    __asm__ volatile("ecall" : ACCEL_OUT : "r"(r_a1), "r"(r_a2), "r"(r_a7) : "memory");
    return (zkvm_status)r_a0;
}

static inline zkvm_status accel4(long n, long a0, long a1, long a2, long a3)
{
    register long r_a0 __asm__("a0") = a0;
    register long r_a1 __asm__("a1") = a1;
    register long r_a2 __asm__("a2") = a2;
    register long r_a3 __asm__("a3") = a3;
    register long r_a7 __asm__("a7") = n;
    __asm__ volatile("ecall" : ACCEL_OUT : "r"(r_a1), "r"(r_a2), "r"(r_a3), "r"(r_a7) : "memory");
    return (zkvm_status)r_a0;
}

static inline zkvm_status accel5(long n, long a0, long a1, long a2, long a3, long a4)
{
    register long r_a0 __asm__("a0") = a0;
    register long r_a1 __asm__("a1") = a1;
    register long r_a2 __asm__("a2") = a2;
    register long r_a3 __asm__("a3") = a3;
    register long r_a4 __asm__("a4") = a4;
    register long r_a7 __asm__("a7") = n;
    __asm__ volatile("ecall"
                     : ACCEL_OUT
                     : "r"(r_a1), "r"(r_a2), "r"(r_a3), "r"(r_a4), "r"(r_a7)
                     : "memory");
    return (zkvm_status)r_a0;
}

static inline zkvm_status accel7(
    long n, long a0, long a1, long a2, long a3, long a4, long a5, long a6)
{
    register long r_a0 __asm__("a0") = a0;
    register long r_a1 __asm__("a1") = a1;
    register long r_a2 __asm__("a2") = a2;
    register long r_a3 __asm__("a3") = a3;
    register long r_a4 __asm__("a4") = a4;
    register long r_a5 __asm__("a5") = a5;
    register long r_a6 __asm__("a6") = a6;
    register long r_a7 __asm__("a7") = n;
    __asm__ volatile("ecall"
                     : ACCEL_OUT
                     : "r"(r_a1), "r"(r_a2), "r"(r_a3), "r"(r_a4), "r"(r_a5), "r"(r_a6), "r"(r_a7)
                     : "memory");
    return (zkvm_status)r_a0;
}

#define P(x) ((long)(x))

zkvm_status zkvm_keccak256(const uint8_t* data, size_t len, zkvm_keccak256_hash* output)
{
    return accel3(STELEVM_ACCEL_KECCAK256, P(data), P(len), P(output));
}

zkvm_status zkvm_secp256k1_verify(const zkvm_secp256k1_hash* msg,
    const zkvm_secp256k1_signature* sig, const zkvm_secp256k1_pubkey* pubkey, bool* verified)
{
    return accel4(STELEVM_ACCEL_SECP256K1_VERIFY, P(msg), P(sig), P(pubkey), P(verified));
}

zkvm_status zkvm_secp256k1_ecrecover(const zkvm_secp256k1_hash* msg,
    const zkvm_secp256k1_signature* sig, uint8_t recid, zkvm_secp256k1_pubkey* output)
{
    return accel4(STELEVM_ACCEL_SECP256K1_ECRECOVER, P(msg), P(sig), P(recid), P(output));
}

zkvm_status zkvm_sha256(const uint8_t* data, size_t len, zkvm_sha256_hash* output)
{
    return accel3(STELEVM_ACCEL_SHA256, P(data), P(len), P(output));
}

zkvm_status zkvm_ripemd160(const uint8_t* data, size_t len, zkvm_ripemd160_hash* output)
{
    return accel3(STELEVM_ACCEL_RIPEMD160, P(data), P(len), P(output));
}

zkvm_status zkvm_modexp(const uint8_t* base, size_t base_len, const uint8_t* exp, size_t exp_len,
    const uint8_t* modulus, size_t mod_len, uint8_t* output)
{
    return accel7(STELEVM_ACCEL_MODEXP, P(base), P(base_len), P(exp), P(exp_len), P(modulus),
        P(mod_len), P(output));
}

zkvm_status zkvm_bn254_g1_add(
    const zkvm_bn254_g1_point* p1, const zkvm_bn254_g1_point* p2, zkvm_bn254_g1_point* result)
{
    return accel3(STELEVM_ACCEL_BN254_G1_ADD, P(p1), P(p2), P(result));
}

zkvm_status zkvm_bn254_g1_mul(
    const zkvm_bn254_g1_point* point, const zkvm_bn254_scalar* scalar, zkvm_bn254_g1_point* result)
{
    return accel3(STELEVM_ACCEL_BN254_G1_MUL, P(point), P(scalar), P(result));
}

zkvm_status zkvm_bn254_pairing(
    const zkvm_bn254_pairing_pair* pairs, size_t num_pairs, bool* verified)
{
    return accel3(STELEVM_ACCEL_BN254_PAIRING, P(pairs), P(num_pairs), P(verified));
}

zkvm_status zkvm_blake2f(uint32_t rounds, zkvm_blake2f_state* h, const zkvm_blake2f_message* m,
    const zkvm_blake2f_offset* t, uint8_t f)
{
    return accel5(STELEVM_ACCEL_BLAKE2F, P(rounds), P(h), P(m), P(t), P(f));
}

zkvm_status zkvm_kzg_point_eval(const zkvm_kzg_commitment* commitment,
    const zkvm_kzg_field_element* z, const zkvm_kzg_field_element* y, const zkvm_kzg_proof* proof,
    bool* verified)
{
    return accel5(STELEVM_ACCEL_KZG_POINT_EVAL, P(commitment), P(z), P(y), P(proof), P(verified));
}

zkvm_status zkvm_bls12_g1_add(const zkvm_bls12_381_g1_point* p1, const zkvm_bls12_381_g1_point* p2,
    zkvm_bls12_381_g1_point* result)
{
    return accel3(STELEVM_ACCEL_BLS12_G1_ADD, P(p1), P(p2), P(result));
}

zkvm_status zkvm_bls12_g1_msm(
    const zkvm_bls12_381_g1_msm_pair* pairs, size_t num_pairs, zkvm_bls12_381_g1_point* result)
{
    return accel3(STELEVM_ACCEL_BLS12_G1_MSM, P(pairs), P(num_pairs), P(result));
}

zkvm_status zkvm_bls12_g2_add(const zkvm_bls12_381_g2_point* p1, const zkvm_bls12_381_g2_point* p2,
    zkvm_bls12_381_g2_point* result)
{
    return accel3(STELEVM_ACCEL_BLS12_G2_ADD, P(p1), P(p2), P(result));
}

zkvm_status zkvm_bls12_g2_msm(
    const zkvm_bls12_381_g2_msm_pair* pairs, size_t num_pairs, zkvm_bls12_381_g2_point* result)
{
    return accel3(STELEVM_ACCEL_BLS12_G2_MSM, P(pairs), P(num_pairs), P(result));
}

zkvm_status zkvm_bls12_pairing(
    const zkvm_bls12_381_pairing_pair* pairs, size_t num_pairs, bool* verified)
{
    return accel3(STELEVM_ACCEL_BLS12_PAIRING, P(pairs), P(num_pairs), P(verified));
}

zkvm_status zkvm_bls12_map_fp_to_g1(
    const zkvm_bls12_381_fp* field_element, zkvm_bls12_381_g1_point* result)
{
    return accel2(STELEVM_ACCEL_BLS12_MAP_FP_TO_G1, P(field_element), P(result));
}

zkvm_status zkvm_bls12_map_fp2_to_g2(
    const zkvm_bls12_381_fp2* field_element, zkvm_bls12_381_g2_point* result)
{
    return accel2(STELEVM_ACCEL_BLS12_MAP_FP2_TO_G2, P(field_element), P(result));
}

zkvm_status zkvm_secp256r1_verify(const zkvm_secp256r1_hash* msg,
    const zkvm_secp256r1_signature* sig, const zkvm_secp256r1_pubkey* pubkey, bool* verified)
{
    return accel4(STELEVM_ACCEL_SECP256R1_VERIFY, P(msg), P(sig), P(pubkey), P(verified));
}
