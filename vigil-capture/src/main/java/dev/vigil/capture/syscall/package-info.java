/**
 * Syscall identities and per-architecture tables: {@link dev.vigil.capture.syscall.Sys} names the syscalls
 * Vigil can watch; {@link dev.vigil.capture.syscall.SyscallTable} maps them to numbers, the audit arch and the
 * register layout of one architecture ({@code X86_64Table}, {@code Aarch64Table}). A syscall an architecture
 * lacks (open, creat, fork ... on aarch64) is {@link dev.vigil.capture.syscall.SyscallTable#ABSENT}.
 * Pure data: no native calls, usable from any thread.
 */
package dev.vigil.capture.syscall;
