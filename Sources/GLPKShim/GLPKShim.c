#include "GLPKShim.h"
#include <setjmp.h>
#include <stddef.h>
#include <string.h>

/* One jump buffer per thread: GLPK's environment is thread-local, so is its error. */
static __thread jmp_buf placement_glpk_jump;
static __thread int placement_glpk_armed = 0;

static void placement_glpk_on_error(void *info) {
    (void)info;
    if (placement_glpk_armed) {
        placement_glpk_armed = 0;
        longjmp(placement_glpk_jump, 1);
    }
}

static int placement_silent_hook(void *info, const char *s) {
    (void)info; (void)s;
    return 1; /* non-zero: GLPK prints nothing */
}

void placement_glp_silence(void) {
    glp_term_out(GLP_OFF);
    glp_term_hook(placement_silent_hook, NULL);
}

/* Guarded calls may nest (a cut callback inside glp_intopt solves a separation LP on its own
   problem object): each saves the outer call's jump buffer and state and restores them after.
   A GLPK error in a nested call frees the thread's environment, the outer problem with it, so it
   jumps on to the outer call, which then returns PLACEMENT_GLPK_FAILED; the Swift frames of the
   callback between the two are skipped (their memory may leak on that path, which only a GLPK
   internal error takes: every model is validated before it reaches GLPK). */
#define PLACEMENT_GUARDED(call)                                  \
    do {                                                         \
        int rc;                                                  \
        jmp_buf outer;                                           \
        int outer_armed = placement_glpk_armed;                  \
        memcpy(outer, placement_glpk_jump, sizeof(jmp_buf));     \
        if (setjmp(placement_glpk_jump)) {                       \
            memcpy(placement_glpk_jump, outer, sizeof(jmp_buf)); \
            placement_glpk_armed = 0;                            \
            glp_error_hook(NULL, NULL);                          \
            glp_free_env();                                      \
            /* Nested: the outer call's problem is gone with the \
               environment, so the outer call fails too. */      \
            if (outer_armed) longjmp(placement_glpk_jump, 1);    \
            return PLACEMENT_GLPK_FAILED;                        \
        }                                                        \
        placement_glpk_armed = 1;                                \
        glp_error_hook(placement_glpk_on_error, NULL);           \
        rc = (call);                                             \
        memcpy(placement_glpk_jump, outer, sizeof(jmp_buf));     \
        placement_glpk_armed = outer_armed;                      \
        if (!outer_armed) glp_error_hook(NULL, NULL);            \
        return rc;                                               \
    } while (0)

int placement_glp_simplex(glp_prob *P, const glp_smcp *parm) { PLACEMENT_GUARDED(glp_simplex(P, parm)); }
int placement_glp_intopt(glp_prob *P, const glp_iocp *parm) { PLACEMENT_GUARDED(glp_intopt(P, parm)); }
int placement_glp_write_lp(glp_prob *P, const char *fname) { PLACEMENT_GUARDED(glp_write_lp(P, NULL, fname)); }
int placement_glp_write_mps(glp_prob *P, int fmt, const char *fname) { PLACEMENT_GUARDED(glp_write_mps(P, fmt, NULL, fname)); }
