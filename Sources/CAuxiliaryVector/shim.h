// getauxval(3) and the ELF program header types, which Swift's Glibc module does not bring in
// (used by MailProbe's ZeroFilledData, Linux only).
#include <elf.h>
#include <sys/auxv.h>
#include <sys/mman.h>
