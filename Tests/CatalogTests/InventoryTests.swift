import Catalog
import Testing

struct InventoryTests {
    @Test(
        arguments: [
            // (stock, share_percent, buffer, max, expected)
            (10, 100, 0, nil, 10),
            (10, 50, 0, nil, 5),
            (9, 50, 0, nil, 4),
            (7, 33, 0, nil, 2),
            (10, 0, 0, nil, 0),
            (10, 100, 2, nil, 8),
            (1, 100, 2, nil, 0),
            (0, 100, 0, nil, 0),
            (-5, 100, 0, nil, 0),
            (1000, 100, 2, 500, 500),
            (250, 50, 5, 100, 100),
            (250, 50, 5, 200, 120),
            (3, 100, 0, 0, 0),
            (Int.max, 100, 0, nil, Int.max),
            (Int.max, 50, 0, nil, Int.max / 2),
        ] as [(Int, Int, Int, Int?, Int)]
    )
    func channelQuantityAppliesShareThenBufferThenCap(
        stock: Int,
        share: Int,
        buffer: Int,
        maximum: Int?,
        expected: Int
    ) throws {
        var fields = ["share_percent": share, "buffer": buffer]
        if let maximum { fields["max"] = maximum }
        let projector = try Fixtures.projector(inventory: fields)
        #expect(projector.quantity(for: Fixtures.product(quantity: stock)) == expected)
    }
}
