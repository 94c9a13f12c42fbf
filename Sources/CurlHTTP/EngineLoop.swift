import CCurl

/// The curl state owned by the engine thread: the multi handle, the transfers in flight and idle easy handles.
///
/// Not `Sendable`: ``CurlMultiEngine`` creates it and then uses it only from its thread.
final class EngineLoop {
    /// A batch of finished transfers: their outcomes, not yet delivered, and what they add to the counters.
    struct Finished {
        var outcomes: [(PendingRequest, PendingRequest.Outcome)] = []
        var connections = 0
    }

    private let multi: UnsafeMutableRawPointer
    private let configuration: HTTPClientConfiguration
    private var active: [ObjectIdentifier: CurlTransfer] = [:]
    private var idleHandles: [UnsafeMutableRawPointer] = []

    init(multi: UnsafeMutableRawPointer, configuration: HTTPClientConfiguration) {
        self.multi = multi
        self.configuration = configuration
    }

    /// Configures an easy handle for `request` and adds it to the multi handle.
    func start(_ request: PendingRequest) {
        guard !request.isCancelled else {
            request.finish(.failure(request.cancellationError()))
            return
        }
        guard let easy = idleHandles.popLast() ?? curl_easy_init() else {
            let error = HTTPClientError(kind: .other, message: "curl_easy_init failed", url: request.request.url)
            request.finish(.failure(error))
            return
        }
        let transfer = CurlTransfer(pending: request, easy: easy, configuration: configuration)
        do {
            try transfer.configure()
        } catch {
            recycle(easy)
            request.finish(.failure(error))
            return
        }
        let added = curl_multi_add_handle(multi, easy)
        guard added == CURLM_OK else {
            recycle(easy)
            let message = String(cString: curl_multi_strerror(added))
            request.finish(.failure(HTTPClientError(kind: .other, message: message, url: request.request.url)))
            return
        }
        active[ObjectIdentifier(request)] = transfer
    }

    /// Aborts `request` if it is in flight; a request not started yet is refused by ``start(_:)``.
    func cancel(_ request: PendingRequest) -> Finished {
        var finished = Finished()
        guard let transfer = active.removeValue(forKey: ObjectIdentifier(request)) else { return finished }
        finished.connections = transfer.newConnections
        finished.outcomes.append((request, .failure(request.cancellationError())))
        curl_multi_remove_handle(multi, transfer.easy)
        recycle(transfer.easy)
        return finished
    }

    /// Lets curl do whatever I/O is ready.
    func perform() {
        var running: Int32 = 0
        curl_multi_perform(multi, &running)
    }

    /// Waits for socket activity, a curl timer or a wakeup; at most one second so a lost wakeup cannot stall.
    func poll() {
        var ready: Int32 = 0
        curl_multi_poll(multi, nil, 0, 1000, &ready)
    }

    /// Collects the outcome of every transfer curl reports done and recycles their handles.
    func collectFinished() -> Finished {
        var finished = Finished()
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let code = ccurl_message_result(message)
            var context: UnsafeMutableRawPointer?
            _ = ccurl_easy_getinfo_private(easy, &context)
            guard let context else { continue }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
            let outcome = transfer.outcome(code)
            finished.outcomes.append((transfer.pending, outcome))
            finished.connections += transfer.newConnections
            active.removeValue(forKey: ObjectIdentifier(transfer.pending))
            curl_multi_remove_handle(multi, easy)
            recycle(easy)
        }
        return finished
    }

    /// Removes every transfer in flight; their outcome is `error`.
    func abortAll(_ error: (PendingRequest) -> HTTPClientError) -> Finished {
        var finished = Finished()
        for transfer in active.values {
            finished.connections += transfer.newConnections
            curl_multi_remove_handle(multi, transfer.easy)
            curl_easy_cleanup(transfer.easy)
            finished.outcomes.append((transfer.pending, .failure(error(transfer.pending))))
        }
        active.removeAll()
        return finished
    }

    /// Frees the idle easy handles and the multi handle (and with it the connection cache).
    func cleanUp() {
        for easy in idleHandles { curl_easy_cleanup(easy) }
        idleHandles.removeAll()
        curl_multi_cleanup(multi)
    }

    private func recycle(_ easy: UnsafeMutableRawPointer) {
        if idleHandles.count < configuration.idleHandlePoolSize {
            curl_easy_reset(easy)
            idleHandles.append(easy)
        } else {
            curl_easy_cleanup(easy)
        }
    }
}
