import Foundation

/// Runs blocking work — waiting for a child process, reading its pipe, a datagram or a socket — on a
/// thread of its own, so a test does not hold one of the cooperative pool's threads (two on a 2-core
/// machine) that every other test running in parallel needs to make progress.
enum Blocking {
    /// The result of `body`, run on a new thread while the caller is suspended.
    static func run<T: Sendable>(_ body: @escaping () throws -> T) async throws -> T {
        let work = Handoff<T>(body: body)
        return try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try work.body() })
            }.start()
        }
    }

    /// Carries `body` to the new thread.
    ///
    /// `@unchecked Sendable` is safe here: `body` is called exactly once, on that thread, while the
    /// only other holder (the caller of ``run(_:)``) is suspended awaiting the result and never touches
    /// it, so no two threads ever use `body` or what it captures at the same time.
    private struct Handoff<Value>: @unchecked Sendable {
        let body: () throws -> Value
    }
}
