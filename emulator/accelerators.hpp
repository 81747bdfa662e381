// The stelevm accelerator table: the 19 zkvm_accelerators.h functions served on the host.
//
// A guest calls accelerator n (1..19, header order) with `ecall` a7 = STELEVM_ACCEL_BASE + n and
// the C arguments in a0..a6. stelevm reads the argument buffers from guest memory with the
// normal permission checks (a bad pointer is an `ecall_fault` trap naming the accelerator and the
// argument), computes the result with the engine's software implementation (stateless/, built
// for the host), writes the outputs and returns the zkvm_status in a0. On ZKVM_EFAIL no output
// is written. Semantics (shared/reference/zkvm-standards.md §1.3) are listed in README.md.
//
// Cost model: the ecall retires one instruction, so an accelerator call costs 1 cycle plus the
// instructions of the guest-side stub. The run report counts calls, input bytes (bytes read from
// guest memory) and failures per accelerator, so that a zkVM's own price list can be applied
// (`stele run --accel-cost FILE` does that).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace stele::emu
{
inline constexpr unsigned kAccelCount = 19;

struct AccelStats
{
    uint64_t calls = 0;
    uint64_t input_bytes = 0;  // bytes of guest memory the calls read
    uint64_t failures = 0;     // calls that returned ZKVM_EFAIL
    // The size of the host's work where it grows with an argument (for a price per unit): hash
    // input bytes, blake2f rounds, pairing / MSM pairs, modexp modulus words² × exponent bits;
    // 0 for the fixed-size accelerators.
    uint64_t work = 0;
};

// The statistics of one accelerator in a run report (only accelerators that were called).
struct AccelReport
{
    unsigned number = 0;  // 1..19; the ecall number is STELEVM_ACCEL_BASE + number
    std::string name;     // without the zkvm_ prefix, e.g. "bn254_pairing"
    AccelStats stats;
};

// "keccak256" .. "secp256r1_verify" for 1..19, "" otherwise.
[[nodiscard]] const char* accel_name(unsigned number) noexcept;
// The number of an accelerator by name (with or without the "zkvm_" prefix), 0 if unknown.
[[nodiscard]] unsigned accel_number(std::string_view name) noexcept;
}  // namespace stele::emu
