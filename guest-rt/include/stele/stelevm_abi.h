/* The stelevm ecall ABI: the single source of the call numbers, shared by guest-rt's stelevm
 * backend and by the emulator. Documented in guest-rt/ABI.md. */
#ifndef STELE_STELEVM_ABI_H
#define STELE_STELEVM_ABI_H

/* Linux-compatible calls, accepted so that linux-backend and bare-metal programs run unchanged. */
#define STELEVM_LINUX_READ 63 /* fd 0 only: the input, from a cursor */
#define STELEVM_LINUX_WRITE 64
#define STELEVM_LINUX_EXIT 93
#define STELEVM_LINUX_EXIT_GROUP 94

/* stelevm calls: a7 = number, arguments in a0..a6, result in a0 (and a1). */
#define STELEVM_HALT 0x100         /* a0 = exit code; does not return */
#define STELEVM_READ_INPUT 0x101   /* -> a0 = input address, a1 = input size */
#define STELEVM_WRITE_OUTPUT 0x102 /* a0 = address, a1 = size */
#define STELEVM_WRITE_LOG 0x103    /* a0 = address, a1 = size */
#define STELEVM_ABORT 0x104        /* a0 = message address, a1 = size (may be 0); no return */
#define STELEVM_REGION_START 0x105 /* a0 = name address, a1 = name size */
#define STELEVM_REGION_END 0x106   /* a0 = name address, a1 = name size */
#define STELEVM_CYCLE_COUNT 0x107  /* -> a0 = instructions retired so far */
/* Cost scopes (the proposed zkvm-standards zkvm_cost_scope_start / _end): a0 = scope id 0..255.
 * Scopes nest; an end must name the innermost open scope, else the run stops (bad_cost_scope). */
#define STELEVM_COST_SCOPE_START 0x108
#define STELEVM_COST_SCOPE_END 0x109

/* Accelerators: STELEVM_ACCEL_BASE + n, n = the function's number in zkvm_accelerators.h
 * (1 = keccak256 … 19 = secp256r1_verify). Arguments as in the C prototype, a0 = zkvm_status. */
#define STELEVM_ACCEL_BASE 0x200
#define STELEVM_ACCEL_KECCAK256 (STELEVM_ACCEL_BASE + 1)
#define STELEVM_ACCEL_SECP256K1_VERIFY (STELEVM_ACCEL_BASE + 2)
#define STELEVM_ACCEL_SECP256K1_ECRECOVER (STELEVM_ACCEL_BASE + 3)
#define STELEVM_ACCEL_SHA256 (STELEVM_ACCEL_BASE + 4)
#define STELEVM_ACCEL_RIPEMD160 (STELEVM_ACCEL_BASE + 5)
#define STELEVM_ACCEL_MODEXP (STELEVM_ACCEL_BASE + 6)
#define STELEVM_ACCEL_BN254_G1_ADD (STELEVM_ACCEL_BASE + 7)
#define STELEVM_ACCEL_BN254_G1_MUL (STELEVM_ACCEL_BASE + 8)
#define STELEVM_ACCEL_BN254_PAIRING (STELEVM_ACCEL_BASE + 9)
#define STELEVM_ACCEL_BLAKE2F (STELEVM_ACCEL_BASE + 10)
#define STELEVM_ACCEL_KZG_POINT_EVAL (STELEVM_ACCEL_BASE + 11)
#define STELEVM_ACCEL_BLS12_G1_ADD (STELEVM_ACCEL_BASE + 12)
#define STELEVM_ACCEL_BLS12_G1_MSM (STELEVM_ACCEL_BASE + 13)
#define STELEVM_ACCEL_BLS12_G2_ADD (STELEVM_ACCEL_BASE + 14)
#define STELEVM_ACCEL_BLS12_G2_MSM (STELEVM_ACCEL_BASE + 15)
#define STELEVM_ACCEL_BLS12_PAIRING (STELEVM_ACCEL_BASE + 16)
#define STELEVM_ACCEL_BLS12_MAP_FP_TO_G1 (STELEVM_ACCEL_BASE + 17)
#define STELEVM_ACCEL_BLS12_MAP_FP2_TO_G2 (STELEVM_ACCEL_BASE + 18)
#define STELEVM_ACCEL_SECP256R1_VERIFY (STELEVM_ACCEL_BASE + 19)
#define STELEVM_ACCEL_COUNT 19

/* Memory map constants (must match guest-rt/link.ld). */
#define STELEVM_NULL_GUARD_END 0x10000ull /* [0, this) never mapped */
#define STELEVM_STACK_TOP 0x7FFF0000ull
#define STELEVM_INPUT_BASE 0x80000000ull /* read-only input window, outside the ELF image */

#endif
