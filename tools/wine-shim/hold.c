/*
 * Test-only helper for the CI's wine step: holds a file open the way Excel, WPS or a PDF viewer
 * does on Windows (no sharing for writing or deleting), so juesuan.exe's message for a locked
 * output can be checked. Usage: hold.exe FILE SECONDS. Prints "holding" once the file is open.
 * Never shipped.
 */
#include <windows.h>
#include <stdio.h>

int wmain(int argc, wchar_t **argv)
{
    if (argc != 3)
        return 2;
    HANDLE h = CreateFileW(argv[1], GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                           FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        printf("open failed: %lu\n", GetLastError());
        return 1;
    }
    printf("holding\n");
    fflush(stdout);
    Sleep((DWORD)_wtoi(argv[2]) * 1000);
    CloseHandle(h);
    return 0;
}
