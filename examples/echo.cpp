// Copies the private input to the public output, byte for byte.
#include <stele/zkvm_io.h>

int main()
{
    const uint8_t* input = nullptr;
    size_t size = 0;
    read_input(&input, &size);
    if (size != 0)
        write_output(input, size);
    return 0;
}
