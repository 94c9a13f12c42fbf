import ArgumentParser
import ControlAPI
import Foundation

extension Catalogctl {
    struct Orders: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Order lines read from the marketplaces, and returns put back on the shelf.",
            subcommands: [List.self, Restock.self],
            defaultSubcommand: List.self
        )
    }
}

extension Catalogctl.Orders {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show order lines read from the marketplaces and what each did to the stock.",
            discussion: """
                Each line sold on a channel takes its units off the catalog's stock once; a cancellation \
                or return restock gives them back once. APPLIED is what the line took, SHORT what it sold \
                beyond the stock (an oversell: the stock stopped at 0). Example: \
                catalogctl orders --since 2026-12-07T00:00:00Z --sku PETHA-AGRA-500G
                """
        )
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Only lines changed at or after this time (ISO 8601, e.g. 2026-12-07T00:00:00Z).")
        var since: String?
        @Option(help: "Only this SKU.") var sku: String?
        @Option(help: "At most this many lines (newest first).") var limit = 500

        func run() async throws {
            var query: [String] = ["limit=\(limit)"]
            if let since { query.append("since=\(Path.escape(since))") }
            if let sku { query.append("sku=\(Path.escape(sku))") }
            let (response, raw) = try await connection.client.send(
                .get,
                "/v1/orders?" + query.joined(separator: "&"),
                as: OrdersResponse.self
            )
            output.print(raw: raw) {
                guard !response.orders.isEmpty else { return "no order lines\n" }
                return Table.render(
                    [
                        "UPDATED", "CHANNEL", "ORDER", "LINE", "SKU", "QTY", "STATUS", "SHIPPED", "APPLIED", "SHORT",
                        "RESTORED",
                    ],
                    response.orders.map { line in
                        [
                            line.updatedAt, line.channel ?? line.marketplace, line.orderID, line.lineID, line.sku,
                            "\(line.quantity)", line.status, line.fulfilled ? "yes" : "no", "\(line.applied)",
                            "\(line.shortfall)", "\(line.restored)",
                        ]
                    }
                )
            }
        }
    }
}

extension Catalogctl.Orders {
    struct Restock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put a returned order line's units back in stock (once), where the platform reports no restock.",
            discussion: """
                The line must have been read from the platform (see catalogctl orders). Its units come back \
                once: a line cancelled or restocked before gives back nothing. Example: \
                catalogctl orders restock --platform ebay 12-00001-00001 10000000001
                """
        )
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "The platform the order was placed on (amazon, ebay, walmart, flipkart).") var platform: String
        @Argument(help: "The platform's order id.") var orderID: String
        @Argument(help: "The line's id within the order (LINE in catalogctl orders).") var lineID: String

        func run() async throws {
            let (response, _) = try await connection.client.send(
                .post,
                "/v1/orders/restock",
                json: RestockRequest(platform: platform, orderID: orderID, lineID: lineID),
                as: RestockResponse.self
            )
            print(
                response.restored > 0
                    ? "\(response.sku): +\(response.restored) back in stock, stock \(response.stock)"
                    : "\(response.sku): nothing given back (the line is \(response.status)), stock \(response.stock)"
            )
        }
    }
}
