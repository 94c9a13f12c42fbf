/// `GET /v1/orders`: order lines the daemon read from the marketplaces, newest change first.
///
/// Wire keys: `orders`, each `platform`, `account`, `channel`, `marketplace`, `order_id`, `line_id`,
/// `sku`, `quantity`, `status` (`placed`, `cancelled`, `returned-restocked`), `applied` (units taken off
/// the stock), `shortfall` (units sold beyond the stock: an oversell), `restored`, `fulfilled` (the
/// platform reports the line shipped), `note`, `seen_at`, `updated_at` (ISO 8601, UTC).
public struct OrdersResponse: Codable, Hashable, Sendable {
    /// One order line and what it did to the stock.
    public struct Line: Codable, Hashable, Sendable {
        public var platform: String
        public var account: String
        public var channel: String?
        public var marketplace: String
        public var orderID: String
        public var lineID: String
        public var sku: String
        public var quantity: Int
        public var status: String
        public var applied: Int
        public var shortfall: Int
        public var restored: Int
        public var fulfilled: Bool
        public var note: String?
        public var seenAt: String
        public var updatedAt: String

        public init(
            platform: String,
            account: String,
            channel: String?,
            marketplace: String,
            orderID: String,
            lineID: String,
            sku: String,
            quantity: Int,
            status: String,
            applied: Int,
            shortfall: Int,
            restored: Int,
            fulfilled: Bool = false,
            note: String?,
            seenAt: String,
            updatedAt: String
        ) {
            self.platform = platform
            self.account = account
            self.channel = channel
            self.marketplace = marketplace
            self.orderID = orderID
            self.lineID = lineID
            self.sku = sku
            self.quantity = quantity
            self.status = status
            self.applied = applied
            self.shortfall = shortfall
            self.restored = restored
            self.fulfilled = fulfilled
            self.note = note
            self.seenAt = seenAt
            self.updatedAt = updatedAt
        }

        private enum CodingKeys: String, CodingKey {
            case platform, account, channel, marketplace, sku, quantity, status, applied, shortfall, restored, fulfilled
            case note
            case orderID = "order_id"
            case lineID = "line_id"
            case seenAt = "seen_at"
            case updatedAt = "updated_at"
        }
    }

    public var orders: [Line]

    public init(orders: [Line]) {
        self.orders = orders
    }
}

/// One SKU's order figures in `GET /v1/products/{sku}` (`orders`): units `sold` on lines that stand,
/// of those `reserved` on lines not shipped yet, `restored` by cancellations and returns, `oversold`
/// beyond the stock there was, and `lines` seen.
public struct OrderCountsResponse: Codable, Hashable, Sendable {
    public var sold: Int
    public var reserved: Int
    public var restored: Int
    public var oversold: Int
    public var lines: Int

    public init(sold: Int, reserved: Int = 0, restored: Int, oversold: Int, lines: Int) {
        self.sold = sold
        self.reserved = reserved
        self.restored = restored
        self.oversold = oversold
        self.lines = lines
    }
}

/// An account's order polling in `GET /v1/status` (`accounts[].orders`): when it last read the
/// platform's orders, how many polls in a row failed and why, and the lines that changed stock since
/// the daemon started. Wire keys: `last_success_at`, `consecutive_failures`, `last_error`, `lines_applied`.
public struct OrderPollingSummary: Codable, Hashable, Sendable {
    public var lastSuccessAt: String?
    public var consecutiveFailures: Int
    /// The platform's words while failures go on (secrets redacted).
    public var lastError: String?
    public var linesApplied: Int

    public init(lastSuccessAt: String?, consecutiveFailures: Int, lastError: String?, linesApplied: Int) {
        self.lastSuccessAt = lastSuccessAt
        self.consecutiveFailures = consecutiveFailures
        self.lastError = lastError
        self.linesApplied = linesApplied
    }

    private enum CodingKeys: String, CodingKey {
        case lastSuccessAt = "last_success_at"
        case consecutiveFailures = "consecutive_failures"
        case lastError = "last_error"
        case linesApplied = "lines_applied"
    }
}

/// `POST /v1/orders/restock`: a returned line the seller put back on the shelf (the platform reports
/// no restock itself). Wire keys: `platform`, `order_id`, `line_id`.
public struct RestockRequest: Codable, Hashable, Sendable {
    public var platform: String
    public var orderID: String
    public var lineID: String

    public init(platform: String, orderID: String, lineID: String) {
        self.platform = platform
        self.orderID = orderID
        self.lineID = lineID
    }

    private enum CodingKeys: String, CodingKey {
        case platform
        case orderID = "order_id"
        case lineID = "line_id"
    }
}

/// What a restock did: the units given back (0 when the line was cancelled or restocked before:
/// exactly once), the line's status now and the SKU's stock now. Wire keys: `sku`, `status`,
/// `restored`, `stock`.
public struct RestockResponse: Codable, Hashable, Sendable {
    public var sku: String
    public var status: String
    public var restored: Int
    public var stock: Int

    public init(sku: String, status: String, restored: Int, stock: Int) {
        self.sku = sku
        self.status = status
        self.restored = restored
        self.stock = stock
    }
}
