/* fdio.h — writing a whole buffer to a file descriptor, the one loop the recorder, the
 * outbox, the replay's notes and the trainer's hub exchange all need. */
#ifndef AGENTDESK_BASE_FDIO_H
#define AGENTDESK_BASE_FDIO_H

#include <stddef.h>

/* Write all n bytes of p to fd, again after EINTR and short writes. 0, or -1 with errno set;
 * a write that takes nothing and reports no error (a full disk) is ENOSPC. */
int fd_write_all(int fd, const void *p, size_t n);

#endif
