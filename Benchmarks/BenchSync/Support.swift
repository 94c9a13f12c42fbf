import BenchSupport
import Catalog
import CurlHTTP
import Foundation
import Synchronization

/// Waits for the marketplace's acknowledgement of one SKU at a time.
final class AcknowledgementLog: Sendable {
    private struct State {
        var expected: SKU?
        var acknowledged = false
        var continuation: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// From now on, wait for `sku` (call before the write that changes it).
    func expect(_ sku: SKU) {
        state.withLock { $0 = State(expected: sku) }
    }

    /// Returns once the expected SKU was acknowledged.
    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state in
                if state.acknowledged { return true }
                state.continuation = continuation
                return false
            }
            if now { continuation.resume() }
        }
    }

    func record(_ sku: SKU) {
        let continuation = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.expected == sku else { return nil }
            state.acknowledged = true
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume()
    }
}

/// CPU time of this process or of its finished children, from `getrusage`.
enum CPUTime {
    static func selfSeconds() -> Double { seconds(RUSAGE_SELF) }
    static func childrenSeconds() -> Double { seconds(RUSAGE_CHILDREN) }

    private static func seconds(_ who: __rusage_who) -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(who.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}

/// A `patchListingsItem` body as the adapter sends it for a price.
enum PatchBody {
    static func price(_ price: Money) -> String {
        """
        {"productType":"HOME","patches":[{"op":"replace","path":"/attributes/purchasable_offer","value":[{"marketplace_id":"A1PA6795UKMFR9","currency":"\(price.currency.code)","audience":"ALL","our_price":[{"schedule":[{"value_with_tax":\(price.amountString)}]}]}]}]}
        """
    }
}

/// The `curl` tool sending the same PATCH requests, 50 in parallel, as the reference.
struct CurlReference {
    let sandbox: SandboxChild
    let http: HTTPClient
    let directory: String

    init(sandbox: SandboxChild, http: HTTPClient, directory: String) throws {
        self.sandbox = sandbox
        self.http = http
        self.directory = directory
    }

    func run(skus: [String], body: String) async throws -> (seconds: Double, cpuSeconds: Double) {
        let token = try await accessToken()
        var config = ""
        config.reserveCapacity(skus.count * (body.count + 300))
        let escaped = body.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        for sku in skus {
            config += """
                url = "\(sandbox.baseURL)/amazon/listings/2021-08-01/items/A2EUEXAMPLE02/\(sku)?marketplaceIds=A1PA6795UKMFR9"
                request = "PATCH"
                header = "x-amz-access-token: \(token)"
                header = "Content-Type: application/json"
                data = "\(escaped)"
                output = "/dev/null"

                """
            if sku != skus.last { config += "next\n" }
        }
        // Each transfer's options end with `next`; without it curl would merge every `data` into one body.
        let path = "\(directory)/curl.config"
        try config.write(toFile: path, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = [
            "--parallel", "--parallel-max", "50", "--http1.1", "--no-progress-meter", "-s", "-K", path,
        ]
        let cpuBefore = CPUTime.childrenSeconds()
        let started = ContinuousClock.now
        try process.run()
        process.waitUntilExit()
        let elapsed = ContinuousClock.now - started
        guard process.terminationStatus == 0 else { throw BenchError("curl exited \(process.terminationStatus)") }
        return (elapsed.seconds, CPUTime.childrenSeconds() - cpuBefore)
    }

    private func accessToken() async throws -> String {
        let response = try await http.execute(
            HTTPRequest(
                method: .post,
                url: "\(sandbox.baseURL)/amazon/auth/o2/token",
                headers: ["Content-Type": "application/x-www-form-urlencoded"],
                body: Array("grant_type=refresh_token&refresh_token=bench&client_id=bench&client_secret=bench".utf8)
            )
        )
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        guard let token = object?["access_token"] as? String else { throw BenchError("no token: \(response.bodyText)") }
        return token
    }
}
