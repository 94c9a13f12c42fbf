import Catalog
import Foundation
import Store
import Sync
import Testing

/// ``ListingOutcome/held(issues:)``: an adapter's own check refused the listing before sending.
@Suite("Held listings: dead letters that cost no attempt and come back when the product changes")
struct HeldListingTests {
    static let issue = MarketplaceIssue(
        code: "required",
        message: #"missing required attribute bullet_point ("Bullet Point")"#,
        attributeNames: ["bullet_point"]
    )

    @Test("a held listing is a dead letter with a held: reason, counts no attempt and is not retried")
    func heldIsDeadLetteredWithoutAnAttempt() async throws {
        let harness = try EngineHarness()
        harness.adapter.answer { _ in .held(issues: [Self.issue]) }
        try harness.store.save(product("HOLD-1"))
        try await harness.running {
            try await harness.eventually("a dead letter") { try !harness.store.deadLetters().isEmpty }
            // Long enough for several backoffs (20-100 ms) had it been retried.
            try await Task.sleep(for: .milliseconds(300))
        }
        let letter = try #require(try harness.store.deadLetters().first)
        #expect(letter.reason == #"held: missing required attribute bullet_point ("Bullet Point")"#)
        #expect(harness.adapter.pushes.count == 1)
        #expect(harness.recorded.outcomes == [.held])
        let entry = try #require(try harness.store.dirtyEntries(sku: SKU(trusted: "HOLD-1")).first)
        #expect(entry.attempts == 0)
        #expect(try harness.pending() == 0)
    }

    @Test("editing a held product queues it again at once, and an accepted send clears the hold")
    func editRequeuesAHeldListing() async throws {
        let harness = try EngineHarness()
        harness.adapter.answer { change in
            change.desired.content.title.contains("fixed") ? .accepted(change) : .held(issues: [Self.issue])
        }
        try harness.store.save(product("HOLD-2"))
        try await harness.running {
            try await harness.eventually("a dead letter") { try !harness.store.deadLetters().isEmpty }
            try harness.save(product("HOLD-2", title: "Agra petha, fixed"))
            try await harness.eventually("the edit acknowledged") {
                try harness.state("HOLD-2")?.status == "active" && harness.store.deadLetters().isEmpty
            }
        }
        #expect(harness.adapter.pushes.count == 2)
        #expect(harness.recorded.outcomes == [.held, .accepted])
    }
}
