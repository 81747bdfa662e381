// The header-only parts of the C++ standard library that the engine may use link and work on
// the guest: containers, strings, algorithms, vocabulary types, std::function.
// Not available (they need libstdc++'s compiled parts or atomics): std::map/set,
// std::unordered_*, std::shared_ptr. The engine uses its own maps.
#include <stele/guest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

int main()
{
    std::vector<uint64_t> v;
    for (uint64_t i = 0; i < 1000; ++i)
        v.push_back((i * 7919) % 1000);
    std::sort(v.begin(), v.end());
    for (uint64_t i = 0; i < 1000; ++i)
        if (v[i] != i)
            stele_panic("stdlib: sort");
    std::string s = "abc";
    for (int i = 0; i < 100; ++i)
        s += std::to_string(i);
    if (s.size() != 3 + 10 + 180 || s.substr(0, 4) != "abc0" || s.rfind("99") != s.size() - 2)
        stele_panic("stdlib: string");
    std::optional<int> o;
    if (o.has_value() || o.value_or(7) != 7)
        stele_panic("stdlib: optional");
    std::variant<int, std::string_view> var = std::string_view{"x"};
    if (!std::holds_alternative<std::string_view>(var))
        stele_panic("stdlib: variant");
    auto owned = std::make_unique<std::array<uint8_t, 64>>();
    std::span<const uint8_t> view{owned->data(), owned->size()};
    std::function<size_t(std::span<const uint8_t>)> f = [&](auto sp)
    { return sp.size() + s.size(); };
    if (f(view) != 64 + s.size())
        stele_panic("stdlib: function");
    stele_log("stdlib: ok\n");
    return 0;
}
