import Synchronization

/// Wakes a channel's idle workers when there is new work, without polling the database.
///
/// A worker reads ``generation`` before it looks for work and passes it to ``wait(since:timeout:)``:
/// a ``signal()`` that arrived in between makes the wait return at once, so no wake-up is lost.
final class WakeSignal: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var nextID = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    /// Increases with every ``signal()``.
    var generation: UInt64 {
        state.withLock { $0.generation }
    }

    /// Wakes every waiting worker.
    func signal() {
        let waiters = state.withLock { state in
            state.generation &+= 1
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns after a ``signal()`` newer than `generation`, after `timeout`, or on cancellation.
    func wait(since generation: UInt64, timeout: Duration) async {
        guard timeout > .zero else { return }
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            self?.resume(id)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state in
                    if state.generation != generation || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            resume(id)
        }
        timer.cancel()
    }

    private func resume(_ id: Int) {
        state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
    }
}
