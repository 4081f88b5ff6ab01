package dev.agentdeck.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The few libc calls the engine needs, through JNA (already on the classpath via OSHI). A call costs
 * microseconds, where spawning {@code /bin/kill} costs milliseconds.
 */
interface LibC extends Library {
    LibC INSTANCE = Native.load(Platform.C_LIBRARY_NAME, LibC.class);

    int ESRCH = 3;
    int EPERM = 1;
    int ECHILD = 10;
    int WNOHANG = 1;
    int PR_SET_CHILD_SUBREAPER = 36;
    int SC_CLK_TCK = 2;

    int kill(int pid, int sig) throws LastErrorException;

    int getpgid(int pid) throws LastErrorException;

    int getpid();

    int waitpid(int pid, int[] status, int options) throws LastErrorException;

    int prctl(int option, long arg2, long arg3, long arg4, long arg5) throws LastErrorException;

    long sysconf(int name);
}
