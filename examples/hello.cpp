// Writes a diagnostic to the log and a greeting to the public output.
#include <stele/guest.h>

int main()
{
    stele_log("hello: starting\n");
    static const char greeting[] = "hello from an RV64IM guest\n";
    write_output(reinterpret_cast<const uint8_t*>(greeting), sizeof(greeting) - 1);
    return 0;
}
