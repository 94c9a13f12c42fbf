import Synchronization

/// A request waiting for its result, shared by the calling task and the engine thread.
///
/// The continuation is resumed exactly once: by the engine thread with the transfer's outcome, or at once when the
/// task was cancelled before the request reached the engine.
final class PendingRequest: Sendable {
    typealias Outcome = Result<HTTPResponse, HTTPClientError>

    private struct State: Sendable {
        var continuation: CheckedContinuation<Outcome, Never>?
        var isCancelled = false
        var isFinished = false
    }

    /// The request as the caller built it.
    let request: HTTPRequest
    private let state = Mutex(State())

    init(_ request: HTTPRequest) {
        self.request = request
    }

    /// Whether the calling task asked to cancel.
    var isCancelled: Bool {
        state.withLock { $0.isCancelled }
    }

    /// Stores the continuation; returns `false` (and resumes it with `.cancelled`) when the task was already cancelled.
    func install(_ continuation: CheckedContinuation<Outcome, Never>) -> Bool {
        let alreadyCancelled = state.withLock { state in
            if state.isCancelled {
                state.isFinished = true
                return true
            }
            state.continuation = continuation
            return false
        }
        if alreadyCancelled {
            continuation.resume(returning: .failure(cancellationError()))
        }
        return !alreadyCancelled
    }

    /// Marks the request cancelled; the engine aborts the transfer when it sees the mark.
    func markCancelled() {
        state.withLock { $0.isCancelled = true }
    }

    /// Delivers the outcome; later calls are ignored.
    func finish(_ outcome: Outcome) {
        let continuation = state.withLock { state -> CheckedContinuation<Outcome, Never>? in
            guard !state.isFinished else { return nil }
            state.isFinished = true
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume(returning: outcome)
    }

    /// The error delivered for a cancelled request.
    func cancellationError() -> HTTPClientError {
        HTTPClientError(kind: .cancelled, message: "the calling task was cancelled", url: request.url)
    }
}
