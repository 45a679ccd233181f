#ifndef PLACEMENT_FILE_SYSTEM_SHIM_H
#define PLACEMENT_FILE_SYSTEM_SHIM_H

/* Linux's renameat2, which Swift's Glibc module does not expose (it needs _GNU_SOURCE).
   Each returns 0 on success, else -1 with errno set (ENOSYS or EINVAL where the kernel or the
   file system does not support the flag; the caller then falls back to plain renames). */

/* Swaps two existing paths atomically (RENAME_EXCHANGE): there is no moment without either. */
int placement_rename_exchange(const char *from, const char *to);

/* Renames `from` to `to` only if `to` does not exist (RENAME_NOREPLACE). */
int placement_rename_noreplace(const char *from, const char *to);

#endif
