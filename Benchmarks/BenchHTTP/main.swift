// BenchHTTP: sends every URL of a file through one HTTPClient with a fixed number of requests in flight and prints
// `engine_rps=<requests per second> connections=<opened> requests=<n> failures=<n>`. Driven by Benchmarks/http.sh,
// which runs the curl tool on the same URLs and prints the comparison line.
//
// Usage: BenchHTTP <url-file> [concurrency]
import CurlHTTP
import Foundation
import Synchronization

/// Hands out indexes of the URL list to the workers.
final class WorkQueue: Sendable {
    private let next = Atomic<Int>(0)
    private let count: Int

    init(count: Int) {
        self.count = count
    }

    func take() -> Int? {
        let index = next.add(1, ordering: .relaxed).oldValue
        return index < count ? index : nil
    }
}

let arguments = CommandLine.arguments
guard arguments.count >= 2, let text = try? String(contentsOfFile: arguments[1], encoding: .utf8) else {
    FileHandle.standardError.write(Data("usage: BenchHTTP <url-file> [concurrency]\n".utf8))
    exit(2)
}
let urls = text.split(separator: "\n").map(String.init)
let concurrency = arguments.count >= 3 ? Int(arguments[2]) ?? 50 : 50

var configuration = HTTPClientConfiguration(concurrency: concurrency)
configuration.httpVersion = .http1Only
configuration.acceptsCompressedResponses = false  // the curl tool does not send Accept-Encoding either
let client = try HTTPClient(configuration: configuration)
let queue = WorkQueue(count: urls.count)

let clock = ContinuousClock()
let start = clock.now
let failures = await withTaskGroup(of: Int.self) { group in
    for _ in 0..<concurrency {
        group.addTask {
            var failures = 0
            while let index = queue.take() {
                do {
                    let response = try await client.get(urls[index])
                    if response.status != 200 { failures += 1 }
                } catch {
                    failures += 1
                }
            }
            return failures
        }
    }
    var total = 0
    for await failures in group { total += failures }
    return total
}
let elapsed = clock.now - start
let statistics = client.statistics
await client.shutdown()

let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
let requestsPerSecond = Int((Double(urls.count) / seconds).rounded())
print(
    "engine_rps=\(requestsPerSecond) connections=\(statistics.openedConnections)"
        + " requests=\(statistics.completedRequests) failures=\(failures)"
)
exit(failures == 0 ? 0 : 1)
