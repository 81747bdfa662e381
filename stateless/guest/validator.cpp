// The stateless validator guest: StatelessInput bytes in, StatelessValidationResult bytes out.
// The program itself is stateless::run_stateless_program (validate/guest_program.hpp), shared
// with the host tests; this file binds it to the zkVM IO interface (read_input, write_output)
// and the guest runtime's cycle regions and log. Every rejection is logged through write_log
// with its reason; the output only says false.
#include <stele/guest.h>
#include <stele/zkvm_io.h>

#include <stateless/core/profile.hpp>
#include <stateless/validate/guest_program.hpp>

namespace
{
void log_line(std::string_view line)
{
    write_log(reinterpret_cast<const uint8_t*>(line.data()), line.size());
}
}  // namespace

int main()
{
    stele::profile::g_region_start = stele_cycle_region_start;
    stele::profile::g_region_end = stele_cycle_region_end;

    const uint8_t* data = nullptr;
    size_t size = 0;
    read_input(&data, &size);
    const stele::bytes out = stele::stateless::run_stateless_program({data, size}, log_line);
    write_output(out.data(), out.size());
    return 0;
}
