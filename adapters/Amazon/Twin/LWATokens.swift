import Foundation
import Synchronization

/// The access tokens the twin's Login with Amazon endpoint has issued, and when each expires.
///
/// A token remembers the account it was issued for (a digest of client id and refresh token, never
/// the secrets themselves), which keys the quotas of operations that carry no seller id.
final class LWATokens: Sendable {
    /// What checking a presented token came to.
    enum Check: Sendable, Equatable {
        case valid(account: String)
        case expired
        case unknown
    }

    private struct Grant {
        var account: String
        var expires: ContinuousClock.Instant
    }

    private let grants = Mutex<[String: Grant]>([:])
    private let random: Mutex<SeededRandom>
    private let lifetime: Duration

    init(lifetime: Duration, seed: UInt64) {
        self.lifetime = lifetime
        random = Mutex(SeededRandom(seed: seed))
    }

    /// Issues a new `Atza|…` token for the account identified by `clientID` and `refreshToken`.
    func issue(clientID: String, refreshToken: String) -> String {
        let account = "acct-" + String(Self.digest(clientID + "\u{0}" + refreshToken), radix: 16)
        let token = "Atza|" + random.withLock { $0.token(length: 48) }
        let grant = Grant(account: account, expires: .now + lifetime)
        grants.withLock { $0[token] = grant }
        return token
    }

    /// Whether `token` is one the twin issued and still live.
    func check(_ token: String?) -> Check {
        guard let token, !token.isEmpty, let grant = grants.withLock({ $0[token] }) else { return .unknown }
        return grant.expires > .now ? .valid(account: grant.account) : .expired
    }

    /// FNV-1a, enough to tell accounts apart without keeping their secrets.
    private static func digest(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return hash
    }
}

/// A small seeded generator (SplitMix64) for ids and tokens, so sandbox runs repeat.
struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `length` random letters and digits.
    mutating func token(length: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<length).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] })
    }

    /// A lowercase hexadecimal id of 32 digits.
    mutating func hexID() -> String {
        String(format: "%016llx%016llx", next(), next())
    }
}
