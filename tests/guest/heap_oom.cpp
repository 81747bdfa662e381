// Allocates without freeing until the heap is exhausted: guest-rt must abort with a message,
// never return garbage. The input selects the pattern: "big" asks for more than the heap in
// one request; anything else exhausts it with 1 MiB blocks.
#include <stele/guest.h>

#include <cstddef>
#include <cstdint>

extern "C" void* malloc(size_t);

int main()
{
    const uint8_t* in = nullptr;
    size_t n = 0;
    read_input(&in, &n);
    if (n >= 3 && in[0] == 'b' && in[1] == 'i' && in[2] == 'g')
        malloc(stele_heap_capacity() + 1);
    for (;;)
    {
        auto* p = static_cast<volatile uint8_t*>(malloc(1 << 20));
        p[0] = 1;  // touch the block so an unmapped heap would fault instead
    }
}
