import Daemon
import Logging
import Synchronization
import Testing

/// Secrets in log messages and metadata never reach the handler that writes them.
struct RedactingLogHandlerTests {
    /// Keeps what it is asked to log.
    final class Recorder: Sendable {
        let lines = Mutex<[String]>([])
    }

    struct RecordingHandler: LogHandler {
        let recorder: Recorder
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let fields = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            recorder.lines.withLock { $0.append(([event.message.description] + fields).joined(separator: " ")) }
        }
    }

    @Test func anEchoedSecretInAMessageOrMetadataIsRedactedAndTheRestKept() {
        let recorder = Recorder()
        let logger = Logger(label: "t") { _ in RedactingLogHandler(wrapping: RecordingHandler(recorder: recorder)) }
        logger.warning(
            "token refresh failed: client_secret=s3cr3t",
            metadata: [
                "reason": "400 {\"refresh_token\": \"r-1\"}", "sku": "PETHA-1",
                "nested": ["header": "Authorization: Bearer abcdefghijklmnopqrst"],
            ]
        )
        #expect(
            recorder.lines.withLock { $0 } == [
                #"token refresh failed: client_secret=[redacted] nested=["header": "Authorization: [redacted]"] "#
                    + #"reason=400 {"refresh_token": "[redacted]"} sku=PETHA-1"#
            ]
        )
    }
}
