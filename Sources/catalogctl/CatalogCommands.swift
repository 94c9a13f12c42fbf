import ArgumentParser
import Catalog
import ControlAPI
import Foundation

extension Catalogctl {
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a catalog file (CSV with a header row, or a JSON array); bad rows are listed by line.",
            discussion: """
                Good rows are imported even when others are bad; the command then exits 1 and names each \
                bad row's line and column. A CSV file is sent in parts of --batch rows, with a progress bar \
                on a terminal (plain progress lines otherwise). Changed products are queued for every \
                channel they are listed on.

                Columns: sku, title, price, quantity (required); description, brand, product_type, hs_code, \
                origin_country, district, weight_grams, image_urls (a|b), attributes (k=v;k=v), channels (a|b), \
                title@<lang>, description@<lang>, price@<channel>; gtin (EAN-13, UPC-A, GTIN-14 or EAN-8, check \
                digit verified), identifier_exemption (true/false), asin and asin@<channel> (sell on an existing \
                Amazon page), bullet_points and bullet_points@<lang> (a|b, at most 10), color, material, \
                manufacturer, part_number, condition (new, new_open_box, used_good, ...), dangerous_goods \
                (not_applicable, ghs, ...), and <platform>.<attribute> or <platform>.<attribute>@<channel> for \
                anything else a platform needs (amazon.item_type_keyword). Plain text is English; @<lang> and \
                @<channel> text is in that language.
                """
        )
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "CSV rows per request.") var batch = 20_000
        @Argument(help: "The CSV or JSON file.") var file: String

        func validate() throws {
            guard batch > 0 else { throw ValidationError("--batch must be positive") }
        }

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                ControlClient.fail("catalogctl: cannot read \(file)", status: ControlClient.Status.failed)
            }
            let bytes = Array(data)
            let isJSON = file.lowercased().hasSuffix(".json") || bytes.first(where: { $0 > 0x20 }) == UInt8(ascii: "[")
            let parts =
                isJSON ? [CSVParts.Part(bytes: bytes, firstLine: 2, rows: 0)] : CSVParts.split(bytes, rows: batch)
            let totalRows = parts.reduce(0) { $0 + $1.rows }
            var report = ImportResponse(inserted: 0, updated: 0, unchanged: 0)
            var progress = Progress(label: "importing \(file)")
            var sent = 0
            for part in parts {
                let (answer, _) = try await connection.client.send(
                    .post,
                    "/v1/import",
                    body: part.bytes,
                    as: ImportResponse.self,
                    decodingFailures: [422]
                )
                report.inserted += answer.inserted
                report.updated += answer.updated
                report.unchanged += answer.unchanged
                // Lines in a part count from its header (line 1); its first row is line `firstLine` of the file.
                report.errors += answer.errors.map {
                    var error = $0
                    if !isJSON { error.line += part.firstLine - 2 }
                    return error
                }
                sent += part.rows
                if !output.json && !isJSON {
                    progress.update(done: sent, total: totalRows, detail: "rows, \(report.errors.count) rejected")
                }
            }
            if !output.json && !isJSON { progress.finish() }
            let raw = Array((try? JSONEncoder().encode(report)) ?? Data())
            output.print(raw: raw) {
                var text =
                    "imported \(file): \(report.inserted) new, \(report.updated) updated, "
                    + "\(report.unchanged) unchanged, \(report.errors.count) rejected\n"
                for error in report.errors {
                    text += "  line \(error.line)\(error.column.map { ", \($0)" } ?? ""): \(error.message)\n"
                }
                return text
            }
            if !report.errors.isEmpty { throw ExitCode.failure }
        }
    }

    struct ProductCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "product",
            abstract: "Read, create or change, and delete one product.",
            subcommands: [Get.self, Set.self, Delete.self]
        )

        struct Get: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Show one product as stored, with its landed-cost estimates per destination.",
                discussion: """
                    When a channel keeps landed costs (DHL Express), a table lists each stored estimate: the \
                    channel that keeps it, the destination, the total (shipping + duties + taxes for one \
                    unit) and its parts, and when it was fetched. With --json: the `landed_costs` array. \
                    Once the listing verifier has read the product's listings back, how each channel shows it \
                    (active, inactive, suppressed, missing), the last drift found and the platform's issues.
                    """
            )
            @OptionGroup var connection: ConnectionOptions
            @OptionGroup var output: OutputOptions
            @Argument(help: "The SKU.") var sku: String

            func run() async throws {
                let (response, raw) = try await connection.client.send(
                    .get,
                    "/v1/products/\(Path.escape(sku))",
                    as: ProductResponse.self
                )
                // The human view adds how the listings look live; --json stays the product resource.
                var live = ""
                if !output.json,
                    let listings = try? await connection.client.send(
                        .get,
                        "/v1/products/\(Path.escape(sku))/listings",
                        as: ListingStateResponse.self
                    ).0
                {
                    let shown = listings.listings.compactMap { listing in
                        listing.live.map { "\(listing.channel) \($0.status)" }
                    }
                    if !shown.isEmpty { live = "\nlive: " + shown.joined(separator: ", ") + "\n" }
                    live += Listings.liveLines(listings)
                }
                output.print(raw: raw) { ProductCommand.describe(response) + live }
            }
        }

        struct Set: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Create or change one product: from a JSON file, or change fields of the stored one.",
                discussion: """
                    catalogctl product set ATTAR-1 --price 1250.00 --quantity 3
                    catalogctl product set ATTAR-1 --file attar.json   (a JSON object with the import's keys)

                    Prices are decimal strings in the catalog's base currency. The daemon checks the product \
                    as an import row and names the field at fault; a change is queued for its channels at once.
                    """
            )
            @OptionGroup var connection: ConnectionOptions
            @Argument(help: "The SKU.") var sku: String
            @Option(help: "A JSON object with the import contract's keys (replaces the whole product).")
            var file: String?
            @Option(help: "The new price, e.g. 1250.00.") var price: String?
            @Option(help: "The new stock quantity.") var quantity: Int?
            @Option(help: "The new title.") var title: String?

            func validate() throws {
                if file == nil && price == nil && quantity == nil && title == nil {
                    throw ValidationError("give --file FILE.json, or at least one of --price, --quantity, --title")
                }
                if file != nil && (price != nil || quantity != nil || title != nil) {
                    throw ValidationError("--file replaces the whole product; change fields without it")
                }
            }

            func run() async throws {
                let client = connection.client
                let path = "/v1/products/\(Path.escape(sku))"
                let body: [UInt8]
                if let file {
                    guard let data = FileManager.default.contents(atPath: file) else {
                        ControlClient.fail("catalogctl: cannot read \(file)", status: ControlClient.Status.failed)
                    }
                    body = Array(data)
                } else {
                    var (current, _) = try await client.send(.get, path, as: ProductResponse.self)
                    if let quantity { current.product.quantity = quantity }
                    if let title { current.product.title = title }
                    body = try ImportObject.json(current.product, price: price)
                }
                let (saved, _) = try await client.send(.put, path, body: body, as: ProductResponse.self)
                print("saved \(saved.product.sku): price \(saved.product.price), quantity \(saved.product.quantity)")
            }
        }

        struct Delete: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Delete a product; its listings are withdrawn from every channel."
            )
            @OptionGroup var connection: ConnectionOptions
            @Argument(help: "The SKU.") var sku: String

            func run() async throws {
                _ = try await connection.client.send(.delete, "/v1/products/\(Path.escape(sku))", as: Empty.self)
                print("deleted \(sku); its listings are being withdrawn")
            }
        }

        static func describe(_ response: ProductResponse) -> String {
            let product = response.product
            var text = "\(product.sku)  \(product.title)\n  price \(product.price)  quantity \(product.quantity)\n"
            if let orders = response.orders {
                text +=
                    "  orders: \(orders.sold) sold (\(orders.reserved) reserved, not shipped), "
                    + "\(orders.restored) restored, \(orders.oversold) oversold "
                    + "(\(orders.lines) lines)\n"
            }
            guard let landedCosts = response.landedCosts else { return text }
            guard !landedCosts.isEmpty else { return text + "\nlanded costs: none estimated yet\n" }
            text += "\nlanded costs (one unit, shipping + duties + taxes):\n"
            text += Table.render(
                ["SOURCE", "DEST", "TOTAL", "PARTS", "FETCHED AT"],
                landedCosts.map { cost in
                    let parts = cost.parts.map { "\($0.name) \($0.amount.amountString)" }.joined(separator: ", ")
                    return [
                        cost.source, cost.destination, cost.total.description, parts.isEmpty ? "-" : parts,
                        cost.fetchedAt,
                    ]
                }
            )
            return text
        }
    }

    struct Listings: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show where one product's listing stands on every channel.",
            discussion: """
                STATE is synced (the marketplace has the current values), pending, in_flight, backing_off \
                (a transient failure; retried by itself) or dead_letter (rejected: see `catalogctl dead-letters`). \
                FACETS lists content, price and quantity that still differ from what the marketplace acknowledged. \
                LIVE is what the platform showed when the verifier last read the listing back (active, inactive, \
                suppressed, missing); the last drift it found and the platform's listing issues follow the table.
                """
        )
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The SKU.") var sku: String

        func run() async throws {
            let (response, raw) = try await connection.client.send(
                .get,
                "/v1/products/\(Path.escape(sku))/listings",
                as: ListingStateResponse.self
            )
            output.print(raw: raw) {
                let text = Table.render(
                    ["CHANNEL", "STATE", "DIFFERING", "REMOTE ID", "ATTEMPTS", "LIVE", "LAST ERROR"],
                    response.listings.map { listing in
                        let differing = listing.facets.filter { $0.state != .synced }.map(\.facet.rawValue)
                        return [
                            listing.channel, listing.state.rawValue,
                            differing.isEmpty ? "-" : differing.joined(separator: ","), listing.remoteID ?? "-",
                            "\(listing.attempts)", listing.live?.status ?? "-", listing.lastError ?? "-",
                        ]
                    }
                )
                return text + Self.liveLines(response)
            }
        }

        /// Per channel the verifier read back: the last drift it found and the platform's listing issues.
        static func liveLines(_ response: ListingStateResponse) -> String {
            var text = ""
            for listing in response.listings {
                guard let live = listing.live else { continue }
                if let drift = live.drift {
                    text += "\(listing.channel): \(drift) (found \(live.driftAt ?? "?"))\n"
                }
                for issue in live.issues {
                    text += "\(listing.channel): \(issue.severity) \(issue.code): \(issue.message)\n"
                }
            }
            return text
        }
    }

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check one listing: what would be sent, and what is wrong with it.",
            discussion: """
                Without --remote: the channel's adapter builds the body it would send now and checks it \
                locally (Amazon: against the product type definition), sending nothing; a listing that \
                fails this check is held, never sent (dead-letters shows it with a "held:" reason). \
                With --remote: asks the marketplace itself (Amazon: putListingsItem with \
                mode=VALIDATION_PREVIEW, spending listing quota; needs mutation rights) and prints its \
                issues verbatim. Exits 1 if any issue is an ERROR.
                """
        )
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The SKU.") var sku: String
        @Option(help: "The channel whose listing is checked.") var channel: String
        @Flag(help: "Ask the marketplace (Amazon VALIDATION_PREVIEW) instead of checking locally.") var remote = false

        func run() async throws {
            if remote { return try await runRemote() }
            let (response, raw) = try await connection.client.send(
                .get,
                "/v1/products/\(Path.escape(sku))/validate?channel=\(Path.escape(channel))",
                as: ListingPreviewResponse.self
            )
            output.print(raw: raw) {
                var text = "\(sku) on \(channel), checked against \(response.checkedAgainst):\n"
                text += response.issues.isEmpty ? "no issues\n" : Self.render(response.issues)
                return text + "would send:\n" + Self.pretty(response.body) + "\n"
            }
            if response.issues.contains(where: \.isError) { throw ExitCode.failure }
        }

        private func runRemote() async throws {
            let (response, raw) = try await connection.client.send(
                .post,
                "/v1/validate",
                json: ValidateRequest(sku: sku, channel: channel),
                as: ValidationResponse.self
            )
            output.print(raw: raw) {
                guard !response.issues.isEmpty else { return "\(sku) on \(channel): no issues\n" }
                return Self.render(response.issues)
            }
            if response.issues.contains(where: \.isError) { throw ExitCode.failure }
        }

        static func render(_ issues: [ValidationResponse.Issue]) -> String {
            issues.reduce("") {
                let attributes = $1.attributes.isEmpty ? "" : " [\($1.attributes.joined(separator: ", "))]"
                return $0 + "\($1.severity) \($1.code)\(attributes): \($1.message)\n"
            }
        }

        /// `json` indented for reading; as given when it does not parse.
        static func pretty(_ json: String) -> String {
            guard
                let value = try? JSONSerialization.jsonObject(with: Data(json.utf8)),
                let data = try? JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys])
            else { return json }
            return String(decoding: data, as: UTF8.self)
        }
    }
}

/// A CSV file cut into parts of whole records, each with the header row.
enum CSVParts {
    struct Part {
        var bytes: [UInt8]
        /// The file line of the part's first record.
        var firstLine: Int
        var rows: Int
    }

    /// Splits at record ends (newlines outside quotes); lines count physical newlines.
    static func split(_ bytes: [UInt8], rows limit: Int) -> [Part] {
        var inQuotes = false
        var recordEnds: [(end: Int, line: Int)] = []
        var line = 1
        for (index, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: "\"") { inQuotes.toggle() }
            if byte == UInt8(ascii: "\n") {
                line += 1
                if !inQuotes { recordEnds.append((index + 1, line)) }
            }
        }
        if recordEnds.last?.end != bytes.count { recordEnds.append((bytes.count, line + 1)) }
        guard let header = recordEnds.first else { return [Part(bytes: bytes, firstLine: 2, rows: 0)] }
        let headerBytes = Array(bytes[..<header.end])
        var parts: [Part] = []
        var start = header.end
        var startLine = header.line
        var index = 1
        while index < recordEnds.count {
            let last = min(index + limit, recordEnds.count) - 1
            let end = recordEnds[last].end
            let body = bytes[start..<end]
            let rows = body.contains(where: { $0 > 0x20 }) ? last - index + 1 : 0
            if rows > 0 { parts.append(Part(bytes: headerBytes + body, firstLine: startLine, rows: rows)) }
            start = end
            startLine = recordEnds[last].line
            index = last + 1
        }
        return parts.isEmpty ? [Part(bytes: bytes, firstLine: 2, rows: 0)] : parts
    }
}
