// A daemon that dies of a fatal signal says so in its log: which signal, where, and the native stack.
#ifndef SLEEVE_CRASH_H
#define SLEEVE_CRASH_H

/** Installs the report for SIGSEGV, SIGBUS, SIGILL, SIGFPE and SIGABRT; the handlers before it still run. */
void crash_report_install(void);

#endif
