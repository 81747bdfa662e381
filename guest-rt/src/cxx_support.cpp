// The out-of-line pieces of libstdc++ that header-only containers and algorithms call.
// The guest links no libstdc++ (Debian's is lp64d), and without exceptions every "throw" in the
// library is a fatal error: each ends the run through stele_panic with a message naming it.
#include <stele/guest.h>

namespace std
{
[[noreturn]] void __throw_bad_alloc()
{
    stele_panic("libstdc++: bad_alloc");
}
[[noreturn]] void __throw_bad_array_new_length()
{
    stele_panic("libstdc++: bad_array_new_length");
}
[[noreturn]] void __throw_length_error(const char* what)
{
    stele_log("libstdc++: length_error: ");
    stele_panic(what);
}
[[noreturn]] void __throw_logic_error(const char* what)
{
    stele_log("libstdc++: logic_error: ");
    stele_panic(what);
}
[[noreturn]] void __throw_out_of_range(const char* what)
{
    stele_log("libstdc++: out_of_range: ");
    stele_panic(what);
}
[[noreturn]] void __throw_out_of_range_fmt(const char* fmt, ...)
{
    stele_log("libstdc++: out_of_range: ");
    stele_panic(fmt);
}
[[noreturn]] void __throw_invalid_argument(const char* what)
{
    stele_log("libstdc++: invalid_argument: ");
    stele_panic(what);
}
[[noreturn]] void __throw_bad_function_call()
{
    stele_panic("libstdc++: bad_function_call");
}
[[noreturn]] void __throw_bad_optional_access()
{
    stele_panic("libstdc++: bad_optional_access");
}
[[noreturn]] void __throw_bad_variant_access(const char* what)
{
    stele_log("libstdc++: bad_variant_access: ");
    stele_panic(what);
}
[[noreturn]] void __throw_bad_variant_access(bool)
{
    stele_panic("libstdc++: bad_variant_access");
}
[[noreturn]] void __glibcxx_assert_fail(
    const char* file, int, const char* function, const char* condition) noexcept
{
    stele_log(file);
    stele_log(": ");
    stele_log(function);
    stele_log(": assertion failed: ");
    stele_panic(condition);
}

}  // namespace std
