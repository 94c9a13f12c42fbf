import ControlAPI
import Foundation
import Testing

extension EndToEndSuites {
    /// A platform that refuses the account's credentials at its token or login endpoint stops the channel
    /// with the platform's words (`needs attention`), instead of retrying the token forever.
    @Suite("Refused credentials end to end", .serialized)
    struct RefusedCredentialsEndToEndTests {
        /// Each partner platform with a token or login endpoint: its credential keys (every value marked
        /// revoked, which its twin refuses as the platform refuses a revoked or wrong one) and the words its
        /// channel's reason must carry: the endpoint's status and the platform's own error code or message.
        static let platforms: [(platform: String, keys: [String], words: [String])] = [
            ("ebay", ["client_id", "client_secret", "refresh_token"], ["eBay token endpoint", "401 invalid_client"]),
            ("flipkart", ["app_id", "app_secret"], ["Flipkart token endpoint", "(401)"]),
            (
                "walmart", ["client_id", "client_secret"],
                ["Walmart token endpoint", "(401)", "UNAUTHORIZED.GMP_GATEWAY_API"]
            ),
            (
                "shopclues", ["client_id", "client_secret", "username", "password"],
                ["Shopclues token endpoint", "401 invalid_grant"]
            ),
            (
                "shiprocket", ["email", "password"],
                ["Shiprocket login", "(400)", "Invalid email and password combination"]
            ),
        ]

        @Test(
            "revoked credentials on eBay, Flipkart, Walmart, Shopclues and Shiprocket put every one of their channels in needs attention with the platform's words, and sync --wait ends on them with exit 1"
        )
        func revokedCredentialsNeedAttentionInThePlatformsWords() async throws {
            let credentials = FileManager.default.temporaryDirectory
                .appendingPathComponent("refused-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: credentials, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: credentials) }
            var accountSettings: [String: String] = [:]
            for (platform, keys, _) in Self.platforms {
                let file = "\(credentials)/\(platform)"
                let text = keys.map { "\($0) = \"revoked-\($0)\"" }.joined(separator: "\n") + "\n"
                try text.write(toFile: file, atomically: true, encoding: .utf8)
                try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
                // No order polling: once every channel needs attention nothing more is sent, so the counts hold.
                accountSettings[platform] = "credentials = \"\(platform)\"\ningest_orders = false"
            }
            let world = try await SyncWorld(
                platforms: Set(Self.platforms.map(\.platform)),
                daemonSettings: "credentials_directory = \"\(credentials)\"",
                accountSettings: accountSettings,
                sandboxArguments: ["--quotas", "off"]
            )
            let daemon = try await world.startDaemon()
            try await daemon.importCatalog(TestCatalog(count: 3).csv())

            // Every channel of these platforms stops with its platform's words; nothing is dead-lettered.
            let expected = Dictionary(uniqueKeysWithValues: Self.platforms.map { ($0.platform, $0.words) })
            var pending = Set(world.channels.map(\.name))
            #expect(pending.count == 7, "\(world.channels)")
            let deadline = ContinuousClock.now + .seconds(60)
            var last: [ChannelSummary] = []
            while !pending.isEmpty, ContinuousClock.now < deadline {
                last = try await daemon.status().channels
                for channel in last where channel.state == .needsAttention { pending.remove(channel.name) }
                if !pending.isEmpty { try await Task.sleep(for: .milliseconds(200)) }
            }
            #expect(pending.isEmpty, "still not needing attention: \(pending): \(last)")
            for channel in last {
                let platform = try #require(world.channels.first { $0.name == channel.name }?.platform)
                for word in expected[platform] ?? [] {
                    #expect(
                        channel.stateReason?.contains(word) == true,
                        "\(channel.name): \(String(describing: channel.stateReason))"
                    )
                }
                #expect(channel.stateReason?.contains("revoked-") != true, "no credential in the reason")
            }
            #expect(try await daemon.deadLetters().deadLetters.isEmpty)

            // Quiet now: the daemon's request counters per platform equal what each twin received.
            let counted = try await daemon.requestsByPlatform()
            let received = try await world.sandbox.stats()
            for (platform, _, _) in Self.platforms {
                #expect(counted[platform, default: 0] == received[platform]?.requests, "\(platform): \(counted)")
                #expect(counted[platform, default: 0] > 0, "\(platform) was asked for a token")
            }
            let wait = try await daemon.catalogctl(["sync", "--channel", "walmart-us", "--wait"])
            #expect(wait.status == 1, "\(wait)")
            #expect(wait.errors.contains("needs attention"), "\(wait.errors)")
            #expect(await daemon.stop() == 0)
            await world.sandbox.stop()
        }
    }
}
