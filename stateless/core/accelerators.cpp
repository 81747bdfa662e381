#include "accelerators.hpp"

#if STELE_ACCELERATED
#include <stele/guest.h>

namespace stele
{
void accel_failure(const char* name) noexcept
{
    stele_log("accelerator failed: ");
    stele_panic(name);
}
}  // namespace stele
#endif
