import Catalog
import CurlHTTP
import Daemon
import Foundation
import Logging
import Sandbox
import Store
import Sync
import Synchronization
import Testing
import TwinSupport

/// The daemon's engine in-process, wired as `catalogsyncd` wires it (configuration → projections →
/// checks → ``EngineAssembly`` → ``SyncEngine``), over a real SQLite store in a temporary directory and
/// the sandbox twins (DHL Express, Amazon) on loopback.
///
/// The configuration: `dhl-express` estimates landed costs to the US; `amazon-us` adds them to its
/// price (`add_landed_cost = "dhl-express"`); `amazon-de` does not.
final class LandedCostWorld {
    static let usdRate = Decimal(string: "0.01128")!
    static let euroRate = Decimal(string: "0.00973")!

    let directory: TemporaryDirectory
    let store: CatalogStore
    let sandbox: SandboxServer
    let engine: SyncEngine
    let assembly: EngineAssembly
    private let http: HTTPClient
    private let recorded = EventLog()
    private let sandboxTask: Task<Void, Never>
    private let engineTask = Mutex<Task<Void, Never>?>(nil)

    /// The configuration with the DHL channel's pricing table `dhlPricing` (its declared value) and
    /// destinations.
    static func configurationText(
        dhlPricing: String = #"{ rounding = "none" }"#,
        dhlDestinations: String = "US"
    ) -> String {
        """
        [daemon]
        base_currency = "INR"

        [fx]
        USD = "\(usdRate)"
        EUR = "\(euroRate)"

        [accounts.dhl-express]
        platform  = "dhl"
        seller_id = "950000002"

        [accounts.amazon-na]
        platform  = "amazon"
        region    = "na"
        seller_id = "A3NAEXAMPLE01"

        [accounts.amazon-eu]
        platform  = "amazon"
        region    = "eu"
        seller_id = "A2EUEXAMPLE02"

        [[channels]]
        name         = "dhl-express"
        account      = "dhl-express"
        marketplace  = "IN"
        currency     = "INR"
        language     = "en_IN"
        destinations = "\(dhlDestinations)"
        pricing      = \(dhlPricing)
        inventory    = { share_percent = 0 }

        [[channels]]
        name        = "amazon-us"
        account     = "amazon-na"
        marketplace = "US"
        currency    = "USD"
        language    = "en_US"
        pricing     = { markup_percent = "45", add = "2.50", rounding = "ending:0.99", min = "6.99", add_landed_cost = "dhl-express" }

        [[channels]]
        name        = "amazon-de"
        account     = "amazon-eu"
        marketplace = "DE"
        currency    = "EUR"
        language    = "de_DE"
        pricing     = { markup_percent = "35", add = "1.50", rounding = "ending:0.99", min = "4.99" }
        """
    }

    /// Loads `text` as the daemon does at start: file checks, projections, adapter and landed-cost checks.
    static func load(_ text: String) throws -> (DaemonConfiguration, ChannelProjections) {
        let configuration = try DaemonConfiguration(parsing: text, file: "landed-cost.toml", environment: [:])
        let projections = try configuration.makeChannelProjections()
        let issues = EngineAssembly.check(configuration, projections: projections)
        if !issues.isEmpty { throw ConfigurationFileError(file: configuration.file, issues: issues) }
        return (configuration, projections)
    }

    init() async throws {
        directory = try TemporaryDirectory()
        let (configuration, _) = try Self.load(Self.configurationText())
        let store = try CatalogStore(
            configuration: .init(
                path: "\(directory.path)/catalog.sqlite",
                channels: configuration.channels.map(\.name)
            )
        )
        var sandboxConfiguration = SandboxServer.Configuration()
        sandboxConfiguration.logLevel = .critical
        let sandbox = SandboxServer(configuration: sandboxConfiguration)
        self.sandbox = sandbox
        sandboxTask = Task { try? await sandbox.run() }
        let baseURL = await sandbox.waitUntilReady()
        let http = try HTTPClient(configuration: .init())
        self.http = http
        var logger = Logger(label: "landed-cost-test")
        logger.logLevel = .critical
        self.store = store
        assembly = EngineAssembly(
            http: http,
            options: .init(sandboxBaseURL: baseURL, store: store),
            logger: logger
        )
        var engineConfiguration = SyncEngine.Configuration()
        engineConfiguration.idlePoll = .milliseconds(100)
        engineConfiguration.backoff = BackoffPolicy(base: .milliseconds(20), cap: .milliseconds(200))
        let recorded = self.recorded
        engine = SyncEngine(store: store, configuration: engineConfiguration, logger: logger) { event in
            recorded.append(event)
        }
    }

    /// The engine's channels for `text`, as a start or a reload builds them.
    func channels(_ text: String) throws -> [SyncEngine.Channel] {
        let (configuration, projections) = try Self.load(text)
        let (channels, skipped) = assembly.channels(
            for: configuration,
            projections: projections,
            credentials: CredentialStore(settings: configuration.daemon)
        )
        #expect(skipped.isEmpty, "\(skipped)")
        return channels
    }

    /// Starts the engine on the default configuration.
    func start() throws {
        let engine = self.engine
        let channels = try channels(Self.configurationText())
        engineTask.withLock { $0 = Task { await engine.run(channels: channels) } }
    }

    /// Applies `text` as a reload does (the queue is kept).
    func reconfigure(_ text: String) throws {
        engine.reconfigure(try channels(text))
    }

    /// Drains the engine and stops the sandbox and the HTTP client.
    func stop() async {
        engine.drain()
        await engineTask.withLock { $0 }?.value
        sandboxTask.cancel()
        await sandboxTask.value
        await http.shutdown()
    }

    /// The engine's events so far; `clear` forgets them.
    func events(clear: Bool = false) -> [EngineEvent] {
        recorded.events(clear: clear)
    }

    /// Whether no (channel, SKU) pair is waiting to be sent (dead letters aside).
    func idle() throws -> Bool {
        try store.pendingCounts().values.allSatisfy { $0 == 0 }
    }

    /// The listings a platform's twin holds for `marketplace`, by SKU.
    func listings(platform: String, marketplace: String) async -> [String: TwinListing] {
        guard let twin = sandbox.twins.first(where: { $0.platform == platform }) else { return [:] }
        let listings = await twin.listings(marketplace: marketplace)
        return Dictionary(listings.map { ($0.sku, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The DHL twin's own estimate of `sku` to `destination` (total landed cost, INR).
    func twinEstimate(_ sku: String, to destination: String = "US") async throws -> Decimal {
        let listings = await listings(platform: "dhl", marketplace: "IN")
        let price = try #require(
            listings[sku]?.landedCosts?[destination],
            "no DHL estimate of \(sku) to \(destination)"
        )
        return try #require(Money.parseDecimal(price))
    }

    /// Waits until `condition` holds, checking every 20 ms; fails after `limit`.
    func eventually(
        _ what: String,
        within limit: Duration = .seconds(30),
        _ condition: () async throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + limit
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw TimedOut(what: what) }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// A product ready to ship with DHL (HS code, weight), or not (`hsCode` nil).
    static func product(_ sku: String, price: String, hsCode: String? = "170490") -> Product {
        var product = Product(
            sku: SKU(trusted: sku),
            title: "Agra Petha \(sku)",
            price: Money(parsing: price, currency: .inr)!,
            quantity: 20,
            description: "Ash-gourd sweet from Agra",
            brand: "Panchhi Style",
            productType: "FOOD",
            hsCode: hsCode,
            district: "Agra",
            weightGrams: 500
        )
        // What Amazon's PRODUCT definition needs of a new listing (the adapter holds one without it).
        product.details = ProductDetails(
            identifierExemption: true,
            bulletPoints: ["Ash-gourd sweet from Agra", "500 g box"],
            color: "White",
            platformAttributes: ["amazon.item_type_keyword": "candy"]
        )
        return product
    }

    // MARK: - Prices computed here, from the rules as written (DESIGN §5)

    /// `amazon-us`: 450 INR × 0.01128 = 5.076 USD; × 1.45 + 2.50 = 9.8602; + the landed cost converted
    /// and rounded up to the cent; then the smallest price ending in .99 at or above it; at least 6.99.
    static func expectedUSPrice(catalogINR: Decimal, landedCostINR: Decimal) -> String {
        let landed = rounded(landedCostINR * usdRate, scale: 2, mode: .up)
        let marked = catalogINR * usdRate * Decimal(string: "1.45")! + Decimal(string: "2.50")! + landed
        var price = rounded(marked, scale: 0, mode: .down) + Decimal(string: "0.99")!
        if price < marked { price += 1 }
        return Money(exactly: max(price, Decimal(string: "6.99")!), currency: .usd)!.amountString
    }

    /// `amazon-de`: no landed cost. price × 0.00973 × 1.35 + 1.50, ending .99, at least 4.99.
    static func expectedDEPrice(catalogINR: Decimal) -> String {
        let marked = catalogINR * euroRate * Decimal(string: "1.35")! + Decimal(string: "1.50")!
        var price = rounded(marked, scale: 0, mode: .down) + Decimal(string: "0.99")!
        if price < marked { price += 1 }
        return Money(exactly: max(price, Decimal(string: "4.99")!), currency: .eur)!.amountString
    }

    struct TimedOut: Error, CustomStringConvertible {
        var what: String
        var description: String { "timed out waiting for \(what)" }
    }

    private static func rounded(_ value: Decimal, scale: Int, mode: NSDecimalNumber.RoundingMode) -> Decimal {
        var value = value
        var result = Decimal()
        NSDecimalRound(&result, &value, scale, mode)
        return result
    }
}

/// The engine's events, in arrival order.
final class EventLog: Sendable {
    private let events = Mutex<[EngineEvent]>([])

    func append(_ event: EngineEvent) {
        events.withLock { $0.append(event) }
    }

    /// The events so far; `clear` forgets them.
    func events(clear: Bool) -> [EngineEvent] {
        events.withLock { events in
            defer { if clear { events.removeAll() } }
            return events
        }
    }
}
