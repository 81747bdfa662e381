/* Cost scopes, as proposed for zkvm-standards (zkvm-standards#36): a guest brackets work with
 * numbered scopes and the zkVM attributes cycles and cost to each. stelevm reports per id the
 * count, cycles and cost (accelerator prices included); on the linux backend they are no-ops.
 * Scopes nest; zkvm_cost_scope_end must name the innermost open scope: anything else stops the
 * run with a diagnostic (a machine stop, not a guest failure). */
#ifndef ZKVM_COST_H
#define ZKVM_COST_H

#include <stdint.h>

#ifdef __cplusplus
extern "C"
{
#endif

    void zkvm_cost_scope_start(uint8_t id);
    void zkvm_cost_scope_end(uint8_t id);

#ifdef __cplusplus
}
#endif

#endif
