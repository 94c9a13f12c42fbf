import Logging
import ServiceLifecycle
import Store

/// Sends `WATCHDOG=1` every half `WATCHDOG_USEC`, but only while the daemon is healthy: the database
/// answers a trivial query and the engine's health check passes. A stuck daemon stops pinging and
/// systemd restarts it (`WatchdogSec=` with `Restart=on-failure`).
struct WatchdogService: Service {
    let notifier: SystemdNotifier
    /// Half of `WATCHDOG_USEC`.
    let interval: Duration
    let runtime: RuntimeState
    /// Whether the sync engine is healthy (its thread runs, its workers make progress).
    let isEngineHealthy: @Sendable () async -> Bool
    let logger: Logger

    func run() async throws {
        // Until the first healthy check the daemon is still starting (the engine starts after the
        // watchdog): not pinging then is expected, and systemd's WatchdogSec= bounds how long it may last.
        var hasBeenHealthy = false
        var wasHealthy = true
        while !Task.isCancelled {
            let healthy = await check()
            if healthy {
                try? notifier.watchdog()
                hasBeenHealthy = true
            } else if !hasBeenHealthy {
                logger.debug("starting: WATCHDOG=1 once the database and the engine answer")
            } else if wasHealthy {
                logger.error("unhealthy: not sending WATCHDOG=1 until the database and the engine answer")
            }
            wasHealthy = healthy
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }

    private func check() async -> Bool {
        do {
            try runtime.snapshot.store.ping()
        } catch {
            logger.error("the database does not answer", metadata: ["error": "\(error)"])
            return false
        }
        return await isEngineHealthy()
    }
}
