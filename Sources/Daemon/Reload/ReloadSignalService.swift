import ServiceLifecycle
import UnixSignals

/// The service that turns `SIGHUP` (systemd's `ExecReload=kill -HUP $MAINPID`) into a configuration
/// reload, one at a time, until the daemon shuts down.
struct ReloadSignalService: Service {
    /// Made before the daemon reports ready, so a `SIGHUP` never meets the default disposition (exit).
    let signals: UnixSignalsSequence
    let reloader: ConfigurationReloader

    func run() async throws {
        for await _ in signals.cancelOnGracefulShutdown() {
            await reloader.reload()
        }
    }
}
