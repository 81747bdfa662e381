// Fails on purpose: a failed termination with a message (abort after write_log).
#include <stele/guest.h>

int main()
{
    stele_panic("fail: this guest always aborts");
}
