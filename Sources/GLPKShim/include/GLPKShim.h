#ifndef PLACEMENT_GLPK_SHIM_H
#define PLACEMENT_GLPK_SHIM_H
#include <glpk.h>

/// Calls into GLPK with a `glp_error_hook` armed, so that a GLPK error (which would otherwise
/// `abort()` the process) returns here instead. `setjmp`/`longjmp` stay inside these C frames.
///
/// Each returns GLPK's own return code, or PLACEMENT_GLPK_FAILED when GLPK reported an error.
/// After a failure GLPK's environment on this thread has been freed (`glp_free_env`), which also
/// frees every problem object of this thread: the caller must not touch `P` again.
#define PLACEMENT_GLPK_FAILED (-999)

int placement_glp_simplex(glp_prob *P, const glp_smcp *parm);
int placement_glp_intopt(glp_prob *P, const glp_iocp *parm);
int placement_glp_write_lp(glp_prob *P, const char *fname);
int placement_glp_write_mps(glp_prob *P, int fmt, const char *fname);

/// Turns GLPK's terminal output off on the calling thread (GLPK's environment is thread-local).
void placement_glp_silence(void);

#endif
