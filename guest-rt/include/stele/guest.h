/* stele guest runtime extensions beyond the zkVM standards. */
#ifndef STELE_GUEST_H
#define STELE_GUEST_H

#include <stddef.h>
#include <stdint.h>

#include "zkvm_io.h"

#ifdef __cplusplus
extern "C"
{
#endif

    /* write_log of a NUL-terminated string. */
    void stele_log(const char* message);

/* Logs the message, then terminates abnormally (abort). */
#ifdef __cplusplus
    [[noreturn]] void stele_panic(const char* message) noexcept;
#else
_Noreturn void stele_panic(const char* message);
#endif

    /* Named cycle-accounting regions (stelevm reports count/total/min/max per name). Regions may
     * nest; an end must name the innermost open region. No-ops on the linux backend. */
    void stele_cycle_region_start(const char* name);
    void stele_cycle_region_end(const char* name);

    /* Instructions retired so far (stelevm); 0 on the linux backend. */
    uint64_t stele_cycle_count(void);

    /* Heap introspection for tests and reports. */
    size_t stele_heap_used(void);
    size_t stele_heap_capacity(void);

#ifdef __cplusplus
}

namespace stele
{
/* Scoped cycle region: start on construction, end on destruction. */
class CycleRegion
{
public:
    explicit CycleRegion(const char* name) noexcept : m_name{name}
    {
        stele_cycle_region_start(name);
    }
    ~CycleRegion()
    {
        stele_cycle_region_end(m_name);
    }
    CycleRegion(const CycleRegion&) = delete;
    CycleRegion& operator=(const CycleRegion&) = delete;

private:
    const char* m_name;
};
}  // namespace stele
#endif

#endif
