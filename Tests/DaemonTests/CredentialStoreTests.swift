import Daemon
import Foundation
import Logging
import Sync
import Synchronization
import Testing

struct CredentialStoreTests {
    static let secretValue = "Atzr|IwEBIEXAMPLE-very-secret-refresh-token"
    static let file = """
        client_id = "amzn1.application-oa2-client.example"
        client_secret = "amzn1.oa2-cs.v1.example-secret"
        refresh_token = "\(secretValue)"
        """

    @Test func readsAPrivateFileFromTheConfiguredDirectory() throws {
        let directory = try TemporaryDirectory()
        try directory.write("amazon-eu", Self.file, mode: 0o600)
        let store = CredentialStore(directory: directory.path, managedBySystemd: false)
        let credentials = try store.credentials(named: "amazon-eu")
        let token = try credentials.require("refresh_token")
        #expect(token.withRevealedValue { $0 } == Self.secretValue)
        #expect(Set(credentials.values.keys) == ["client_id", "client_secret", "refresh_token"])
    }

    @Test(arguments: [0o640, 0o604, 0o644])
    func refusesGroupOrWorldReadableFilesOutsideSystemd(mode: Int) throws {
        let directory = try TemporaryDirectory()
        try directory.write("amazon-eu", Self.file, mode: mode)
        let store = CredentialStore(directory: directory.path, managedBySystemd: false)
        let error = #expect(throws: CredentialError.self) { try store.credentials(named: "amazon-eu") }
        #expect(error?.description.contains("mode 0\(String(mode, radix: 8))") == true)
        #expect(error?.description.contains("chmod 600") == true)
    }

    @Test func trustsFileModesInTheSystemdCredentialsDirectory() throws {
        let directory = try TemporaryDirectory()
        try directory.write("amazon-eu", Self.file, mode: 0o644)
        let store = CredentialStore(directory: directory.path, managedBySystemd: true)
        #expect(try store.credentials(named: "amazon-eu").values.count == 3)
    }

    @Test func findsFilesSystemdLoadedFromTheCredentialsDirectoryUnderTheirPrefixedID() throws {
        let directory = try TemporaryDirectory()
        try directory.write("catalogsyncd_amazon-eu", Self.file, mode: 0o400)
        let managed = CredentialStore(directory: directory.path, managedBySystemd: true)
        #expect(try managed.credentials(named: "amazon-eu").values.count == 3)
        let unmanaged = CredentialStore(directory: directory.path, managedBySystemd: false)
        #expect(throws: CredentialError.self) { try unmanaged.credentials(named: "amazon-eu") }
    }

    @Test func namesTheFileAndKeyWhenAKeyIsMissing() throws {
        let directory = try TemporaryDirectory()
        try directory.write("ebay", "client_id = \"x\"\n", mode: 0o600)
        let credentials = try CredentialStore(directory: directory.path, managedBySystemd: false)
            .credentials(named: "ebay")
        let error = #expect(throws: CredentialError.self) { try credentials.require("client_secret") }
        #expect(error?.description == "credentials \"ebay\": key client_secret is missing")
    }

    @Test func refusesNamesThatLeaveTheDirectory() {
        let store = CredentialStore(directory: "/tmp", managedBySystemd: false)
        #expect(throws: CredentialError.self) { try store.credentials(named: "../etc/shadow") }
        #expect(throws: CredentialError.self) { try store.credentials(named: ".hidden") }
    }

    @Test func aBrokenFileIsReportedWithoutQuotingItsContent() throws {
        let directory = try TemporaryDirectory()
        try directory.write("broken", "refresh_token = \"\(Self.secretValue)\nclient_id = ", mode: 0o600)
        let store = CredentialStore(directory: directory.path, managedBySystemd: false)
        let error = #expect(throws: CredentialError.self) { try store.credentials(named: "broken") }
        let text = try #require(error).description
        #expect(text.contains("is not valid TOML"))
        #expect(!text.contains(Self.secretValue) && !text.contains("Atzr"))
    }

    @Test func aSecretNeverShowsInDescriptionsInterpolationDumpOrJSON() throws {
        let secret = Secret(Self.secretValue)
        let credentials = Credentials(name: "amazon-eu", values: ["refresh_token": secret])
        var dumped = ""
        dump(credentials, to: &dumped)
        let encoded = String(decoding: try JSONEncoder().encode(["token": secret]), as: UTF8.self)
        let renderings = [
            String(describing: secret), String(reflecting: secret), "\(secret)", "\(credentials)",
            String(describing: credentials), String(reflecting: credentials), dumped, encoded,
            "\(["k": secret])", "\(Optional(secret) as Any)",
        ]
        for rendering in renderings {
            #expect(!rendering.contains(Self.secretValue), "leaked in: \(rendering)")
        }
        #expect(String(describing: secret) == "<redacted>")
        #expect(encoded == #"{"token":"<redacted>"}"#)
    }

    @Test func aSecretLoggedAsMetadataIsRedacted() {
        let recorder = LogRecorder()
        var logger = Logger(label: "test") { _ in RecordingLogHandler(recorder: recorder) }
        logger.logLevel = .trace
        let secret = Secret(Self.secretValue)
        logger.info("token refreshed \(secret)", metadata: ["token": "\(secret)", "raw": .stringConvertible(secret)])
        let lines = recorder.lines
        #expect(lines.count == 1)
        #expect(lines.allSatisfy { !$0.contains(Self.secretValue) && $0.contains("<redacted>") })
    }
}

/// Keeps every line logged through a ``RecordingLogHandler``.
final class LogRecorder: Sendable {
    private let storage = Mutex<[String]>([])

    var lines: [String] { storage.withLock { $0 } }

    func append(_ line: String) { storage.withLock { $0.append(line) } }
}

/// A log handler that renders each event (message and metadata) into a ``LogRecorder``.
struct RecordingLogHandler: LogHandler {
    let recorder: LogRecorder
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let rendered = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        recorder.append("\(event.level) \(event.message) \(rendered)")
    }
}
