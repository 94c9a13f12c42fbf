import Foundation
import Store
import Testing

@Suite("Adapter data in the state database")
struct AdapterDataTests {
    @Test("values are kept per account, replaced, listed by prefix, removed, and survive reopening")
    func keepsValuesPerAccount() throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        try store.setAdapterValue("{\"total\":\"2551.00\"}", account: "dhl-express", key: "landed-cost/PETHA-1/GB")
        try store.setAdapterValue("{\"total\":\"100.00\"}", account: "dhl-express", key: "landed-cost/PETHA-1/US")
        try store.setAdapterValue("7", account: "ebay", key: "landed-cost/PETHA-1/GB")
        try store.setAdapterValue("{\"total\":\"2600.00\"}", account: "dhl-express", key: "landed-cost/PETHA-1/GB")
        #expect(
            try store.adapterValue(account: "dhl-express", key: "landed-cost/PETHA-1/GB") == "{\"total\":\"2600.00\"}"
        )
        #expect(try store.adapterValues(account: "dhl-express", prefix: "landed-cost/PETHA-1/").count == 2)
        #expect(try store.adapterValues(account: "dhl-express", prefix: "landed-cost/PETHA-2/").isEmpty)
        try store.setAdapterValue(nil, account: "dhl-express", key: "landed-cost/PETHA-1/US")
        let reopened = try CatalogStore(configuration: .init(path: temporary.path, channels: ["amazon-de"]))
        #expect(
            try reopened.adapterValues(account: "dhl-express", prefix: "landed-cost/") == [
                "landed-cost/PETHA-1/GB": "{\"total\":\"2600.00\"}"
            ]
        )
        #expect(try reopened.adapterValue(account: "ebay", key: "landed-cost/PETHA-1/GB") == "7")
    }

    @Test("a prefix is removed in one go, for one account only, and a non-ASCII prefix matches by character")
    func removesByPrefix() throws {
        let temporary = try TemporaryStore()
        let store = temporary.store
        try store.setAdapterValue("3", account: "ebay", key: "ebay-revisions/2026-12-02/EBAY_US/A")
        try store.setAdapterValue("1", account: "ebay", key: "ebay-revisions/2026-12-02/EBAY_GB/B")
        try store.setAdapterValue("2", account: "ebay", key: "ebay-revisions/2026-12-03/EBAY_US/A")
        try store.setAdapterValue("5", account: "ebay-2", key: "ebay-revisions/2026-12-02/EBAY_US/A")
        try store.setAdapterValue("x", account: "ebay", key: "größe/1")
        try store.removeAdapterValues(account: "ebay", prefix: "ebay-revisions/2026-12-02/")
        #expect(
            try store.adapterValues(account: "ebay", prefix: "ebay-revisions/") == [
                "ebay-revisions/2026-12-03/EBAY_US/A": "2"
            ]
        )
        #expect(try store.adapterValue(account: "ebay-2", key: "ebay-revisions/2026-12-02/EBAY_US/A") == "5")
        #expect(try store.adapterValues(account: "ebay", prefix: "größe/") == ["größe/1": "x"])
        try store.removeAdapterValues(account: "ebay", prefix: "größe/")
        #expect(try store.adapterValue(account: "ebay", key: "größe/1") == nil)
    }
}
