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
}
