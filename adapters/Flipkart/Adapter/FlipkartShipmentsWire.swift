import Foundation

/// The shipments search's request and answer (`POST /sellers/v3/shipments/filter`,
/// `SearchShipmentRequest` / `SearchShipmentResponse` of Flipkart's seller API SDK, docs/Filter.md,
/// docs/Shipment.md, docs/OrderItem.md), and the order source's cursor.
enum FlipkartShipmentsWire {
    /// The postDispatch states: the units have left the seller's warehouse.
    static let dispatched: Set<String> = ["SHIPPED", "DELIVERED", "PICKUP_COMPLETE"]

    /// One search pass of a poll round: a filter type with the states (dispatch types) or the
    /// cancellation type (`cancelled`, where Flipkart's page makes it mandatory) it asks for.
    struct Pass: Sendable, Hashable {
        var type: String
        var states: [String]?
        var cancellationType: String?

        /// The cursor's key for this pass (`preDispatch`, `cancelled:buyerCancellation`).
        var key: String { cancellationType.map { "\(type):\($0)" } ?? type }
    }

    /// Every pass of a round, in order: items still to ship, items dispatched before a poll saw them
    /// (a fast seller ships between two polls), and the three kinds of cancellation.
    static let passes: [Pass] = [
        Pass(
            type: "preDispatch",
            states: ["APPROVED", "PACKING_IN_PROGRESS", "FORM_FAILED", "PACKED", "READY_TO_DISPATCH"]
        ),
        Pass(type: "postDispatch", states: dispatched.sorted()),
        Pass(type: "cancelled", cancellationType: "buyerCancellation"),
        Pass(type: "cancelled", cancellationType: "sellerCancellation"),
        Pass(type: "cancelled", cancellationType: "marketplaceCancellation"),
    ]

    /// `SearchShipmentRequest`: the pass's filter with `modifiedDate.from`, sorted by `modifiedDate`
    /// ascending, `pageSize` per page.
    struct Request: Encodable {
        struct DateFilter: Encodable {
            var from: String
        }

        struct Filter: Encodable {
            var type: String
            var states: [String]?
            var cancellationType: String?
            var modifiedDate: DateFilter
        }

        struct Pagination: Encodable {
            var pageSize: Int
        }

        struct Sort: Encodable {
            var field = "modifiedDate"
            var order = "asc"
        }

        var filter: Filter
        var pagination: Pagination
        var sort = Sort()

        init(pass: Pass, modifiedFrom: String, pageSize: Int) {
            filter = Filter(
                type: pass.type,
                states: pass.states,
                cancellationType: pass.cancellationType,
                modifiedDate: DateFilter(from: modifiedFrom)
            )
            pagination = Pagination(pageSize: pageSize)
        }
    }

    /// `SearchShipmentResponse`, only the fields the source reads.
    struct Response: Decodable {
        struct Shipment: Decodable {
            var shipmentId: String?
            var updatedAt: String?
            var orderItems: [OrderItem]?
        }

        struct OrderItem: Decodable {
            var orderItemId: String?
            var orderId: String?
            var status: String?
            var quantity: Int?
            var sku: String?
        }

        var hasMore: Bool?
        var nextPageUrl: String?
        var shipments: [Shipment]?
    }

    /// Where a poll resumes: the pass in progress, its next page's URL, and each pass's `modifiedDate`
    /// lower bound (the latest `updatedAt` it has read; the bound is inclusive, so that shipment is read
    /// again next round and changes nothing). Each pass keeps its own bound: a shipment modified in one
    /// pass's window while another pass ran is still read by its own pass next round.
    struct Cursor: Codable, Sendable, Hashable {
        /// Index into ``passes``.
        var pass: Int
        /// The `nextPageUrl` of the pass in progress; `nil` starts the pass with a POST.
        var next: String?
        /// ``Pass/key`` → ISO 8601 date-time.
        var from: [String: String]

        /// The cursor's text, as the store keeps it.
        var text: String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
        }

        /// The cursor of `text`; a missing or unreadable one starts every pass at `start`.
        init(_ text: String?, start: String) {
            if let text, let data = text.data(using: .utf8),
                let cursor = try? JSONDecoder().decode(Cursor.self, from: data),
                FlipkartShipmentsWire.passes.indices.contains(cursor.pass)
            {
                self = cursor
            } else {
                self = Cursor(pass: 0, next: nil, from: [:])
            }
            for pass in FlipkartShipmentsWire.passes where from[pass.key] == nil { from[pass.key] = start }
        }

        init(pass: Int, next: String?, from: [String: String]) {
            self.pass = pass
            self.next = next
            self.from = from
        }
    }

    /// An ISO 8601 date-time with or without fractional seconds, `Z` or an offset (`+05:30`).
    static func date(_ text: String) -> Date? {
        (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
            ?? (try? Date(text, strategy: .iso8601))
    }

    /// `date` as the filter's `from` (`2026-12-07T04:10:11.123Z`).
    static func stamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
