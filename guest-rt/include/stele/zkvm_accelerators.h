/* zkVM accelerator C interface: the 19 functions of eth-act/zkvm-standards
 * c-interface-accelerators, written from the standard's facts (shared/reference/zkvm-standards.md
 * §1.3). Encodings: field elements and scalars big-endian; BN254 points in EVM encoding (G2 as
 * x_im‖x_re‖y_im‖y_re); BLS12-381 field elements 48 bytes without EIP-2537 padding (G2 as
 * x_c0‖x_c1‖y_c0‖y_c1); infinity all zeros; RIPEMD-160 right-aligned in 32 bytes. */
#ifndef STELE_ZKVM_ACCELERATORS_H
#define STELE_ZKVM_ACCELERATORS_H

#include <stddef.h>
#include <stdint.h>
#ifndef __cplusplus
#include <stdbool.h>
#endif

#ifdef __cplusplus
#define ZKVM_ALIGN8 alignas(8)
extern "C"
{
#else
#define ZKVM_ALIGN8 _Alignas(8)
#endif

    typedef enum
    {
        ZKVM_EOK = 0,
        ZKVM_EFAIL = -1
    } zkvm_status;

    typedef struct
    {
        ZKVM_ALIGN8 uint8_t data[16];
    } zkvm_bytes_16;
    typedef struct
    {
        ZKVM_ALIGN8 uint8_t data[32];
    } zkvm_bytes_32;
    typedef struct
    {
        ZKVM_ALIGN8 uint8_t data[48];
    } zkvm_bytes_48;
    typedef struct
    {
        ZKVM_ALIGN8 uint8_t data[64];
    } zkvm_bytes_64;
    typedef struct
    {
        ZKVM_ALIGN8 uint8_t data[96];
    } zkvm_bytes_96;
    typedef struct
    {
        ZKVM_ALIGN8 uint8_t data[128];
    } zkvm_bytes_128;
    typedef struct
    {
        ZKVM_ALIGN8 uint8_t data[192];
    } zkvm_bytes_192;

    typedef zkvm_bytes_32 zkvm_keccak256_hash;
    typedef zkvm_bytes_32 zkvm_sha256_hash;
    typedef zkvm_bytes_32 zkvm_ripemd160_hash; /* 20-byte digest in the last 20 bytes */

    typedef zkvm_bytes_32 zkvm_secp256k1_hash;
    typedef zkvm_bytes_64 zkvm_secp256k1_signature; /* r ‖ s */
    typedef zkvm_bytes_64 zkvm_secp256k1_pubkey;    /* x ‖ y, no 0x04 prefix */
    typedef zkvm_bytes_32 zkvm_secp256r1_hash;
    typedef zkvm_bytes_64 zkvm_secp256r1_signature;
    typedef zkvm_bytes_64 zkvm_secp256r1_pubkey;

    typedef zkvm_bytes_64 zkvm_bn254_g1_point;
    typedef zkvm_bytes_128 zkvm_bn254_g2_point;
    typedef zkvm_bytes_32 zkvm_bn254_scalar;
    typedef struct
    {
        zkvm_bn254_g1_point g1;
        zkvm_bn254_g2_point g2;
    } zkvm_bn254_pairing_pair;

    typedef zkvm_bytes_96 zkvm_bls12_381_g1_point;
    typedef zkvm_bytes_192 zkvm_bls12_381_g2_point;
    typedef zkvm_bytes_32 zkvm_bls12_381_scalar;
    typedef zkvm_bytes_48 zkvm_bls12_381_fp;
    typedef zkvm_bytes_96 zkvm_bls12_381_fp2;
    typedef struct
    {
        zkvm_bls12_381_g1_point point;
        zkvm_bls12_381_scalar scalar;
    } zkvm_bls12_381_g1_msm_pair;
    typedef struct
    {
        zkvm_bls12_381_g2_point point;
        zkvm_bls12_381_scalar scalar;
    } zkvm_bls12_381_g2_msm_pair;
    typedef struct
    {
        zkvm_bls12_381_g1_point g1;
        zkvm_bls12_381_g2_point g2;
    } zkvm_bls12_381_pairing_pair;

    typedef zkvm_bytes_64 zkvm_blake2f_state;
    typedef zkvm_bytes_128 zkvm_blake2f_message;
    typedef zkvm_bytes_16 zkvm_blake2f_offset;

    typedef zkvm_bytes_48 zkvm_kzg_commitment;
    typedef zkvm_bytes_48 zkvm_kzg_proof;
    typedef zkvm_bytes_32 zkvm_kzg_field_element;

    /* 1 */ zkvm_status zkvm_keccak256(
        const uint8_t* data, size_t len, zkvm_keccak256_hash* output);
    /* 2 */ zkvm_status zkvm_secp256k1_verify(const zkvm_secp256k1_hash* msg,
        const zkvm_secp256k1_signature* sig, const zkvm_secp256k1_pubkey* pubkey, bool* verified);
    /* 3: recid is 0 or 1 (EVM v - 27); the result is the public key, not the address. */
    zkvm_status zkvm_secp256k1_ecrecover(const zkvm_secp256k1_hash* msg,
        const zkvm_secp256k1_signature* sig, uint8_t recid, zkvm_secp256k1_pubkey* output);
    /* 4 */ zkvm_status zkvm_sha256(const uint8_t* data, size_t len, zkvm_sha256_hash* output);
    /* 5 */ zkvm_status zkvm_ripemd160(
        const uint8_t* data, size_t len, zkvm_ripemd160_hash* output);
    /* 6: output is exactly mod_len bytes. */
    zkvm_status zkvm_modexp(const uint8_t* base, size_t base_len, const uint8_t* exp,
        size_t exp_len, const uint8_t* modulus, size_t mod_len, uint8_t* output);
    /* 7 */ zkvm_status zkvm_bn254_g1_add(
        const zkvm_bn254_g1_point* p1, const zkvm_bn254_g1_point* p2, zkvm_bn254_g1_point* result);
    /* 8 */ zkvm_status zkvm_bn254_g1_mul(const zkvm_bn254_g1_point* point,
        const zkvm_bn254_scalar* scalar, zkvm_bn254_g1_point* result);
    /* 9 */ zkvm_status zkvm_bn254_pairing(
        const zkvm_bn254_pairing_pair* pairs, size_t num_pairs, bool* verified);
    /* 10: rounds is a native integer; h is updated in place. */
    zkvm_status zkvm_blake2f(uint32_t rounds, zkvm_blake2f_state* h, const zkvm_blake2f_message* m,
        const zkvm_blake2f_offset* t, uint8_t f);
    /* 11: no versioned-hash argument; the caller checks it. */
    zkvm_status zkvm_kzg_point_eval(const zkvm_kzg_commitment* commitment,
        const zkvm_kzg_field_element* z, const zkvm_kzg_field_element* y,
        const zkvm_kzg_proof* proof, bool* verified);
    /* 12 */ zkvm_status zkvm_bls12_g1_add(const zkvm_bls12_381_g1_point* p1,
        const zkvm_bls12_381_g1_point* p2, zkvm_bls12_381_g1_point* result);
    /* 13 */ zkvm_status zkvm_bls12_g1_msm(
        const zkvm_bls12_381_g1_msm_pair* pairs, size_t num_pairs, zkvm_bls12_381_g1_point* result);
    /* 14 */ zkvm_status zkvm_bls12_g2_add(const zkvm_bls12_381_g2_point* p1,
        const zkvm_bls12_381_g2_point* p2, zkvm_bls12_381_g2_point* result);
    /* 15 */ zkvm_status zkvm_bls12_g2_msm(
        const zkvm_bls12_381_g2_msm_pair* pairs, size_t num_pairs, zkvm_bls12_381_g2_point* result);
    /* 16 */ zkvm_status zkvm_bls12_pairing(
        const zkvm_bls12_381_pairing_pair* pairs, size_t num_pairs, bool* verified);
    /* 17 */ zkvm_status zkvm_bls12_map_fp_to_g1(
        const zkvm_bls12_381_fp* field_element, zkvm_bls12_381_g1_point* result);
    /* 18 */ zkvm_status zkvm_bls12_map_fp2_to_g2(
        const zkvm_bls12_381_fp2* field_element, zkvm_bls12_381_g2_point* result);
    /* 19 */ zkvm_status zkvm_secp256r1_verify(const zkvm_secp256r1_hash* msg,
        const zkvm_secp256r1_signature* sig, const zkvm_secp256r1_pubkey* pubkey, bool* verified);

#ifdef __cplusplus
}
#endif

#endif
