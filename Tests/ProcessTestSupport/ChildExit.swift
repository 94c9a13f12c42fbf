import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension Process {
    /// Blocks until the child has exited and returns its exit status (or the number of the signal that
    /// ended it), without `waitUntilExit()`.
    ///
    /// `waitUntilExit()` spins a run loop on the calling thread until Foundation's monitor notices the
    /// exit, and on Linux that monitor needs a dispatch worker thread: on a 2-core machine two tests
    /// spinning in it left the monitor none, and the whole test run hung (CI, 2026-12-02: a curl
    /// child and a python child both exited, neither was ever seen to). This waits in the kernel
    /// instead (`waitid` with `WNOWAIT`, so Foundation still reaps the child and updates `isRunning`).
    public func waitForExit() -> Int32 {
        var info = siginfo_t()
        while waitid(P_PID, id_t(processIdentifier), &info, WEXITED | WNOWAIT) != 0 {
            guard errno == EINTR else {
                // Already reaped by Foundation (ECHILD): it knows the status, or will in a moment.
                while isRunning { usleep(1_000) }
                return terminationStatus
            }
        }
        return info._sifields._sigchld.si_status
    }

    /// Waits until the child has exited and returns its exit status, without holding a thread:
    /// checks the kernel (`waitid` with `WNOHANG | WNOWAIT`) every `interval`. For async tests, which
    /// share Swift's cooperative pool (two threads on a 2-core machine) with every other test.
    public func exitStatus(checkingEvery interval: Duration = .milliseconds(20)) async -> Int32 {
        while true {
            var info = siginfo_t()
            let found = waitid(P_PID, id_t(processIdentifier), &info, WEXITED | WNOHANG | WNOWAIT)
            if found == 0, info._sifields._sigchld.si_pid != 0 { return info._sifields._sigchld.si_status }
            if found != 0, errno != EINTR {
                // Already reaped by Foundation (ECHILD): it knows the status, or will in a moment.
                if !isRunning { return terminationStatus }
            }
            try? await Task.sleep(for: interval)
        }
    }
}
