import CCurl
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One curl multi handle driven by its own thread with `curl_multi_poll` / `curl_multi_wakeup`.
///
/// Callers put requests and cancellations into a locked inbox and wake the thread; the thread owns the multi
/// handle, every easy handle and every ``CurlTransfer``, and resumes the callers' continuations when transfers end.
///
/// `@unchecked Sendable`, and why that is sound: the only stored properties other threads touch are `inbox` (a
/// `Mutex`), the `Atomic` counters and `multi`, which other threads use solely for `curl_multi_wakeup` ("can be
/// called from any thread", curl_multi_wakeup(3)) and only while holding the inbox lock with the state `.running`;
/// the thread sets `.stopped` under that lock before `curl_multi_cleanup`, so no wakeup can follow the cleanup.
/// `loop` and everything it holds are created in `init` and then touched only by the engine thread.
final class CurlMultiEngine: @unchecked Sendable {
    private enum Phase {
        case running
        case stopping
        case stopped
    }

    private struct Inbox {
        var phase = Phase.running
        var requests: [PendingRequest] = []
        var cancellations: [PendingRequest] = []
        var shutdownWaiters: [CheckedContinuation<Void, Never>] = []
        var hasWork: Bool { !requests.isEmpty || !cancellations.isEmpty || phase == .stopping }
    }

    private let multi: UnsafeMutableRawPointer
    private let inbox = Mutex(Inbox())
    private let loop: EngineLoop
    /// Transfers that finished, successfully or not.
    let completedRequests = Atomic<Int>(0)
    /// Connections opened, summed from `CURLINFO_NUM_CONNECTS`.
    let openedConnections = Atomic<Int>(0)

    init(configuration: HTTPClientConfiguration) throws(HTTPClientError) {
        try CurlGlobal.initialize()
        guard let multi = curl_multi_init() else {
            throw HTTPClientError(kind: .other, message: "curl_multi_init failed", url: "")
        }
        self.multi = multi
        let options: [(CURLMoption, Int)] = [
            (CURLMOPT_MAXCONNECTS, configuration.maximumCachedConnections),
            (CURLMOPT_MAX_HOST_CONNECTIONS, configuration.maximumConnectionsPerHost),
            (CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX),
        ]
        for (option, value) in options where ccurl_multi_setopt_long(multi, option, value) != CURLM_OK {
            curl_multi_cleanup(multi)
            throw HTTPClientError(
                kind: .invalidRequest,
                message: "curl rejected multi option \(option.rawValue)",
                url: ""
            )
        }
        self.loop = EngineLoop(multi: multi, configuration: configuration)
    }

    /// Starts the engine thread.
    func start() throws(HTTPClientError) {
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(
            &thread,
            nil,
            { context in
                let engine = Unmanaged<CurlMultiEngine>.fromOpaque(context!).takeRetainedValue()
                engine.run()
                return nil
            },
            context
        )
        guard result == 0 else {
            Unmanaged<CurlMultiEngine>.fromOpaque(context).release()
            curl_multi_cleanup(multi)
            throw HTTPClientError(kind: .other, message: "cannot start the curl thread (errno \(result))", url: "")
        }
        pthread_detach(thread)
    }

    /// Hands a request to the engine thread; fails it at once when the engine has stopped.
    func submit(_ request: PendingRequest) {
        let accepted = inbox.withLock { inbox -> Bool in
            guard inbox.phase == .running else { return false }
            let wasIdle = !inbox.hasWork
            inbox.requests.append(request)
            if wasIdle { curl_multi_wakeup(multi) }
            return true
        }
        if !accepted {
            request.finish(.failure(Self.shutdownError(request)))
        }
    }

    /// Asks the engine thread to abort `request` if it is still in flight.
    func cancel(_ request: PendingRequest) {
        inbox.withLock { inbox in
            guard inbox.phase == .running else { return }
            let wasIdle = !inbox.hasWork
            inbox.cancellations.append(request)
            if wasIdle { curl_multi_wakeup(multi) }
        }
    }

    /// Asks the engine thread to stop without waiting for it.
    func requestStop() {
        inbox.withLock { inbox in
            guard inbox.phase == .running else { return }
            inbox.phase = .stopping
            curl_multi_wakeup(multi)
        }
    }

    /// Stops the engine: fails requests in flight with `.shutdown` and returns after `curl_multi_cleanup`.
    func stop() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let alreadyStopped = inbox.withLock { inbox -> Bool in
                switch inbox.phase {
                case .stopped:
                    return true
                case .running:
                    inbox.phase = .stopping
                    curl_multi_wakeup(multi)
                case .stopping:
                    break
                }
                inbox.shutdownWaiters.append(continuation)
                return false
            }
            if alreadyStopped { continuation.resume() }
        }
    }

    // MARK: Engine thread

    private func run() {
        while true {
            let (requests, cancellations, stopping) = inbox.withLock { inbox in
                defer {
                    inbox.requests.removeAll(keepingCapacity: true)
                    inbox.cancellations.removeAll(keepingCapacity: true)
                }
                return (inbox.requests, inbox.cancellations, inbox.phase == .stopping)
            }
            if stopping {
                for request in requests { request.finish(.failure(Self.shutdownError(request))) }
                break
            }
            for request in requests { loop.start(request) }
            for request in cancellations { deliver(loop.cancel(request)) }
            loop.perform()
            deliver(loop.collectFinished())
            loop.poll()
        }
        deliver(loop.abortAll { Self.shutdownError($0) })
        loop.cleanUp()
        let waiters = inbox.withLock { inbox in
            inbox.phase = .stopped
            defer { inbox.shutdownWaiters.removeAll() }
            return inbox.shutdownWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Updates the counters, then resumes the callers, so a caller that saw its response also sees it counted.
    private func deliver(_ finished: EngineLoop.Finished) {
        if !finished.outcomes.isEmpty {
            completedRequests.add(finished.outcomes.count, ordering: .relaxed)
        }
        if finished.connections > 0 {
            openedConnections.add(finished.connections, ordering: .relaxed)
        }
        for (request, outcome) in finished.outcomes {
            request.finish(outcome)
        }
    }

    private static func shutdownError(_ request: PendingRequest) -> HTTPClientError {
        HTTPClientError(kind: .shutdown, message: "the HTTP client was shut down", url: request.request.url)
    }
}
