// The smallest guest: does nothing and succeeds.
int main()
{
    return 0;
}
