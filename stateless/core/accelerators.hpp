// The accelerator seam. An engine build with STELE_ACCELERATED=1 (the zkVM guest) routes each
// accelerated primitive to its zkvm_accelerators.h function; every other build uses the
// engine's own software implementation, which is also the oracle for the accelerators.
#pragma once

#ifndef STELE_ACCELERATED
#define STELE_ACCELERATED 0
#endif

#if STELE_ACCELERATED
#include <stele/zkvm_accelerators.h>

namespace stele
{
// An accelerator that must not fail did (e.g. a hash): the run cannot continue soundly.
[[noreturn, gnu::cold]] void accel_failure(const char* name) noexcept;
}  // namespace stele
#endif
