/*
 * Test-only stand-in for Windows' bcryptprimitives.dll, for running juesuan.exe under wine 8.0.
 *
 * Rust's standard library draws random bytes from ProcessPrng in bcryptprimitives.dll, which
 * Windows 10 and later have and wine 8.0 (Debian 12) lacks. This shim answers ProcessPrng with
 * RtlGenRandom (SystemFunction036 in advapi32). It is placed next to juesuan.exe only for the
 * CI's wine step (.ci/run) and is NEVER shipped: real Windows has the real DLL.
 *
 * Build: x86_64-w64-mingw32-gcc -O2 -shared -o bcryptprimitives.dll bcryptprimitives.c -ladvapi32
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
