import Catalog
import Foundation
import Store
import Testing

/// Upstream error bodies lose their secrets before they are stored or shown.
@Suite("Secret redaction of upstream error bodies")
struct SecretRedactorTests {
    @Test("an echoed token request keeps its words and loses its secrets")
    func anEchoedTokenRequestLosesItsSecrets() {
        let body = #"""
            400 {"error": "invalid_grant", "request": {"grant_type": "refresh_token", "refresh_token": "v^1.1#i^1#r^1#AbC", "client_secret": "PRD-9f8e\"7d"}}
            """#
        #expect(
            SecretRedactor.redact(body) == #"""
                400 {"error": "invalid_grant", "request": {"grant_type": "refresh_token", "refresh_token": "[redacted]", "client_secret": "[redacted]"}}
                """#
        )
    }

    @Test("forms, headers, bearer credentials and Amazon tokens are redacted; plain words are not")
    func formsHeadersAndTokensAreRedacted() {
        let cases = [
            (
                "POST /auth/o2/token grant_type=refresh_token&refresh_token=Atzr|IwEBIA-x&client_id=amzn1&client_secret=abc123",
                "POST /auth/o2/token grant_type=refresh_token&refresh_token=[redacted]&client_id=amzn1&client_secret=[redacted]"
            ),
            (
                "sent with Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.x, got 401",
                "sent with Authorization: [redacted], got 401"
            ),
            ("x-amz-access-token: Atza|IwEBIJ-y refused", "x-amz-access-token: [redacted] refused"),
            ("token Atza|IwEBIJ-y expired", "token [redacted] expired"),
            ("use Bearer abcdefghijklmnopqrstuvwxyz0123", "use Bearer [redacted]"),
            (
                "Basic information is missing: the key brand is required",
                "Basic information is missing: the key brand is required"
            ),
            ("SKU PETHA-1: price must be positive", "SKU PETHA-1: price must be positive"),
        ]
        for (text, expected) in cases {
            #expect(SecretRedactor.redact(text) == expected)
        }
    }

    @Test("a rejection and a retry are stored redacted")
    func storedReasonsAreRedacted() throws {
        let fixture = try TemporaryStore()
        let store = fixture.store
        _ = try store.save(try makeProduct("PETHA-1"), now: epoch)
        _ = try store.save(try makeProduct("PETHA-2"), now: epoch)
        let claimed = try store.claimDue(channel: "amazon-de", limit: 10, now: epoch)
        #expect(claimed.count == 2)
        let echoed = #"{"refresh_token": "r-secret-1"}"#
        try store.reject(
            channel: "amazon-de",
            sku: claimed[0].sku,
            generation: claimed[0].generation,
            facet: .content,
            reason: "rejected: \(echoed)",
            now: epoch
        )
        try store.retryLater(
            channel: "amazon-de",
            sku: claimed[1].sku,
            generation: claimed[1].generation,
            notBefore: epoch,
            error: "401 client_secret=s-secret-2"
        )
        let letters = try store.deadLetters()
        #expect(letters.map(\.reason) == [#"rejected: {"refresh_token": "[redacted]"}"#])
        let retrying = try store.dirtyEntries(channel: "amazon-de", sku: claimed[1].sku)
        #expect(retrying.map(\.lastError) == ["401 client_secret=[redacted]"])
    }
}
