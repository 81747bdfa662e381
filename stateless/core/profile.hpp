// Named cycle regions for the engine's phases. The engine cannot call the guest runtime itself
// (it is also a host library), so a guest program installs its region functions here
// (stele_cycle_region_start / _end); elsewhere the hooks are null and a region costs a branch.
#pragma once

namespace stele::profile
{
using RegionFn = void (*)(const char* name);

inline RegionFn g_region_start = nullptr;
inline RegionFn g_region_end = nullptr;

// Scoped region: start on construction, end on destruction (regions nest).
class Region
{
public:
    explicit Region(const char* name) noexcept : m_name{name}
    {
        if (g_region_start)
            g_region_start(name);
    }
    ~Region()
    {
        if (g_region_end)
            g_region_end(m_name);
    }
    Region(const Region&) = delete;
    Region& operator=(const Region&) = delete;

private:
    const char* m_name;
};
}  // namespace stele::profile
