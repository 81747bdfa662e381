// An otherwise valid guest whose text holds two compressed (RVC) c.nop instructions.
int main()
{
    __asm__ volatile(".2byte 0x0001\n.2byte 0x0001");
    return 0;
}
