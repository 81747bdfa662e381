// Modular exponentiation of arbitrary-size big-endian integers (EIP-198, precompile 0x05).
// Pricing lives with the EVM (precompiles.hpp has the formulas); this is the arithmetic.
#pragma once

#include "../core/bytes.hpp"

namespace stele::crypto
{
// base^exp mod modulus, written as exactly modulus.size() big-endian bytes into `out` (which
// is resized). A zero modulus gives all zeros; 0^0 = 1 (mod m). On an accelerated guest build
// this is zkvm_modexp.
void modexp(bytes_view base, bytes_view exp, bytes_view modulus, bytes& out);
void modexp_software(bytes_view base, bytes_view exp, bytes_view modulus, bytes& out);

// Bit length of a big-endian integer (0 for zero).
[[nodiscard]] uint64_t bit_length(bytes_view be) noexcept;
}  // namespace stele::crypto
