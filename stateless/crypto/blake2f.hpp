// BLAKE2b compression function F with a caller-chosen number of rounds (EIP-152, 0x09).
#pragma once

#include <cstdint>

namespace stele::crypto
{
// h: 8 state words, m: 16 message words, t: offset counter (2 words), f: final-block flag.
// Words are native integers (the precompile's input encodes them little-endian).
// On an accelerated guest build this is zkvm_blake2f.
void blake2f(
    uint32_t rounds, uint64_t h[8], const uint64_t m[16], const uint64_t t[2], bool f) noexcept;
void blake2f_software(
    uint32_t rounds, uint64_t h[8], const uint64_t m[16], const uint64_t t[2], bool f) noexcept;
}  // namespace stele::crypto
