import CurlHTTP
import Foundation
import JSONSchema
import Logging
import Sync

/// Amazon's product type definitions for one channel, fetched with `getDefinitionsProductType`, their
/// schemas cached in the account's ``AdapterDataStore`` (the state database) with Amazon's version.
///
/// One definition per (product type, marketplace, requirements, locale), always `ENFORCED` (the
/// schema enforces required and conditionally required attributes: full-payload validation). The
/// first use downloads the schema its `schema.link.resource` names (a presigned link: no token, no
/// quota) and stores it with `productTypeVersion.version`. Later uses take the cached schema; once
/// ``ProductTypeDefinitions/Configuration/recheckInterval`` has passed since the last check, the next
/// use asks Amazon again (one `getDefinitionsProductType` call) and downloads the schema only when the
/// version differs. When Amazon cannot be asked (network, 5xx, 429) a cached schema is used and the
/// check is tried again after ``ProductTypeDefinitions/Configuration/failedCheckDelay``; without a
/// cached schema the listing waits (retry), because nothing is sent unchecked.
actor ProductTypeDefinitions {
    /// The operation's name, as the model's `operationId` and the rate limiter's bucket.
    static let operation = "getDefinitionsProductType"

    /// How often definitions are re-checked.
    struct Configuration: Sendable, Hashable {
        /// How long a checked definition is used before Amazon is asked for its version again.
        var recheckInterval: Duration = .seconds(24 * 3600)
        /// How long a cached definition is used after a failed re-check before the next attempt.
        var failedCheckDelay: Duration = .seconds(300)
    }

    /// Which definition.
    struct Key: Sendable, Hashable, CustomStringConvertible {
        var productType: String
        var marketplaceID: String
        /// `LISTING`, `LISTING_OFFER_ONLY` or `LISTING_PRODUCT_ONLY`.
        var requirements: String
        var locale: String

        /// The adapter data key (`product-type/PRODUCT/A1PA6795UKMFR9/LISTING/de_DE`).
        var storageKey: String { "product-type/\(productType)/\(marketplaceID)/\(requirements)/\(locale)" }

        var description: String { "\(productType) (\(requirements), \(marketplaceID), \(locale))" }
    }

    /// A usable definition.
    struct Definition: Sendable {
        var version: String
        var schema: JSONSchema
        /// When Amazon last confirmed the version (or the schema was downloaded).
        var checkedAt: Date
        /// When to ask Amazon again.
        var nextCheck: Date
    }

    /// Why no definition is available.
    enum Failure: Error, Sendable {
        /// Try again later (network, 5xx, 429, or a schema that could not be downloaded).
        case transient(reason: String, after: Duration?)
        /// Amazon refused the request for this product type (unknown product type, bad locale), verbatim.
        case refused([MarketplaceIssue])
        /// The account's token was refused.
        case accountRefused(reason: String)
    }

    /// What is stored per key in the adapter data (JSON).
    private struct Stored: Codable {
        var version: String
        var checkedAt: Double
        var schema: String
    }

    private let connection: SPAPIConnection
    private let data: any AdapterDataStore
    private let configuration: Configuration
    private let logger: Logger
    private var loaded: [Key: Definition] = [:]
    private var inFlight: [Key: Task<Definition, any Error>] = [:]

    init(connection: SPAPIConnection, data: any AdapterDataStore, configuration: Configuration, logger: Logger) {
        self.connection = connection
        self.data = data
        self.configuration = configuration
        self.logger = logger
    }

    /// The definition for `key`, from memory, the state database or Amazon, re-checked when due.
    func definition(_ key: Key, now: Date = Date()) async throws(Failure) -> Definition {
        if let definition = loaded[key], definition.nextCheck > now { return definition }
        let task: Task<Definition, any Error>
        if let running = inFlight[key] {
            task = running
        } else {
            let cached = loaded[key]
            task = Task { try await self.refresh(key, cached: cached, now: now) }
            inFlight[key] = task
        }
        let result = await task.result
        inFlight[key] = nil
        switch result {
        case .success(let definition):
            loaded[key] = definition
            return definition
        case .failure(let error as Failure):
            throw error
        case .failure(let error):
            throw .transient(reason: "\(error)", after: nil)
        }
    }

    private func refresh(_ key: Key, cached: Definition?, now: Date) async throws -> Definition {
        var known = cached
        if known == nil { known = try await stored(key, now: now) }
        if let known, known.nextCheck > now { return known }
        let meta: Meta
        switch await fetchMeta(key) {
        case .success(let fetched):
            meta = fetched
        case .failure(.transient(let reason, let after)) where known != nil:
            logger.warning(
                "product type definition check failed; using the cached version",
                metadata: ["definition": "\(key)", "version": "\(known!.version)", "reason": "\(reason)"]
            )
            var stale = known!
            let delay = max(Self.seconds(after ?? .zero), Self.seconds(configuration.failedCheckDelay))
            stale.nextCheck = now.addingTimeInterval(delay)
            return stale
        case .failure(let failure):
            throw failure
        }
        if var known, known.version == meta.version {
            known.checkedAt = now
            known.nextCheck = now.addingTimeInterval(Self.seconds(configuration.recheckInterval))
            try await store(key, version: known.version, schemaText: nil, checkedAt: now)
            return known
        }
        let text = try await download(meta.schemaURL, key: key)
        let schema: JSONSchema
        do {
            schema = try JSONSchema(parsing: Data(text.utf8))
        } catch {
            throw Failure.transient(reason: "the schema of \(key) is not JSON: \(error)", after: nil)
        }
        try await store(key, version: meta.version, schemaText: text, checkedAt: now)
        logger.info(
            "product type definition downloaded",
            metadata: ["definition": "\(key)", "version": "\(meta.version)", "previous": "\(known?.version ?? "-")"]
        )
        return Definition(
            version: meta.version,
            schema: schema,
            checkedAt: now,
            nextCheck: now.addingTimeInterval(Self.seconds(configuration.recheckInterval))
        )
    }

    /// The definition kept in the state database, `nil` when there is none (or it is unreadable).
    private func stored(_ key: Key, now: Date) async throws -> Definition? {
        guard
            let text = try? await data.value(for: key.storageKey),
            let stored = try? JSONDecoder().decode(Stored.self, from: Data(text.utf8)),
            let schema = try? JSONSchema(parsing: Data(stored.schema.utf8))
        else { return nil }
        let checkedAt = Date(timeIntervalSince1970: stored.checkedAt)
        return Definition(
            version: stored.version,
            schema: schema,
            checkedAt: checkedAt,
            nextCheck: checkedAt.addingTimeInterval(Self.seconds(configuration.recheckInterval))
        )
    }

    private func store(_ key: Key, version: String, schemaText: String?, checkedAt: Date) async throws {
        var text = schemaText
        if text == nil {
            guard
                let previous = try? await data.value(for: key.storageKey),
                let stored = try? JSONDecoder().decode(Stored.self, from: Data(previous.utf8))
            else { return }
            text = stored.schema
        }
        let stored = Stored(version: version, checkedAt: checkedAt.timeIntervalSince1970, schema: text!)
        do {
            let encoded = try JSONEncoder().encode(stored)
            try await data.setValue(String(decoding: encoded, as: UTF8.self), for: key.storageKey)
        } catch {
            // The definition is still usable from memory; the next start downloads it again.
            logger.error("could not keep a product type definition", metadata: ["error": "\(error)"])
        }
    }

    /// The parts of a `ProductTypeDefinition` this adapter uses.
    struct Meta: Decodable, Sendable {
        struct SchemaLink: Decodable, Sendable {
            struct Link: Decodable, Sendable { var resource: String }
            var link: Link
        }
        struct Version: Decodable, Sendable { var version: String }
        var schema: SchemaLink
        var productTypeVersion: Version

        var version: String { productTypeVersion.version }
        var schemaURL: String { schema.link.resource }
    }

    /// `duration` in seconds, for `Date` arithmetic.
    static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }

    /// `GET /definitions/2020-09-01/productTypes/{productType}` for `key`.
    private func fetchMeta(_ key: Key) async -> Result<Meta, Failure> {
        let reply = await connection.send(
            .get,
            path: "/definitions/2020-09-01/productTypes/\(SPAPIConnection.pathSegment(key.productType))",
            query: [
                ("marketplaceIds", key.marketplaceID), ("requirements", key.requirements),
                ("requirementsEnforced", "ENFORCED"), ("locale", key.locale),
            ],
            operations: [Self.operation]
        )
        switch reply {
        case .transient(let reason, let after):
            return .failure(.transient(reason: "\(Self.operation): \(reason)", after: after))
        case .refused(let reason):
            return .failure(.accountRefused(reason: reason))
        case .response(let response):
            if response.isSuccess, let meta = SPAPIWire.decode(Meta.self, from: response.body) { return .success(meta) }
            if let errors = SPAPIWire.decode(SPAPIWire.ErrorList.self, from: response.body), !errors.errors.isEmpty {
                return .failure(.refused(errors.issues))
            }
            return .failure(
                .transient(reason: "\(Self.operation) answered \(response.status) without a definition", after: nil)
            )
        }
    }

    /// The schema document at `url` (no SP-API headers: the link is presigned).
    private func download(_ url: String, key: Key) async throws -> String {
        let response: HTTPResponse
        do {
            response = try await connection.http.execute(
                HTTPRequest(method: .get, url: url, timeout: connection.timeout),
                platform: connection.platform,
                operation: "downloadProductTypeSchema"
            )
        } catch {
            throw Failure.transient(reason: "the schema of \(key) could not be downloaded: \(error)", after: nil)
        }
        guard response.isSuccess else {
            throw Failure.transient(reason: "the schema of \(key) answered \(response.status)", after: nil)
        }
        return String(decoding: response.body, as: UTF8.self)
    }
}
