// RIPEMD-160 (precompile 0x03).
#pragma once

#include "../core/bytes.hpp"

namespace stele::crypto
{
using ripemd160_hash = FixedBytes<20>;

// On an accelerated guest build this is zkvm_ripemd160 (digest right-aligned in 32 bytes).
[[nodiscard]] ripemd160_hash ripemd160(bytes_view data) noexcept;
[[nodiscard]] ripemd160_hash ripemd160_software(bytes_view data) noexcept;
}  // namespace stele::crypto
