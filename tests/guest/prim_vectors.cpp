// Runs the engine's primitives on test vectors from the input (see prim_dispatch.hpp) and writes
// the results: the native test prim_guest_test compares them with the host engine's.
#include <stele/guest.h>
#include <stele/zkvm_io.h>

#include "prim_dispatch.hpp"

int main()
{
    const uint8_t* in = nullptr;
    size_t n = 0;
    read_input(&in, &n);
    stele::bytes out;
    if (!stele::prim_vectors::run({in, n}, out))
        stele_panic("prim_vectors: malformed input");
    write_output(out.data(), out.size());
    return 0;
}
