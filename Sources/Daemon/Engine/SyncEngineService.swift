import ServiceLifecycle
import Sync

/// Runs the ``SyncEngine`` under the daemon's service group: a graceful shutdown drains it (no new
/// claims; in-flight pushes finish and are recorded) before the group moves on.
struct SyncEngineService: Service {
    let engine: SyncEngine
    let channels: [SyncEngine.Channel]

    func run() async throws {
        await withGracefulShutdownHandler {
            await engine.run(channels: channels)
        } onGracefulShutdown: {
            engine.drain()
        }
    }
}
