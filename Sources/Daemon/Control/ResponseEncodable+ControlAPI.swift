import ControlAPI
import Hummingbird

// The control API's response types are Codable in `ControlAPI` (shared with the CLI, which must not
// depend on Hummingbird); here they become responses Hummingbird encodes as JSON.
extension StatusResponse: ResponseEncodable {}
extension ChannelsResponse: ResponseEncodable {}
extension ImportResponse: ResponseEncodable {}
extension ProductResponse: ResponseEncodable {}
extension QueueResponse: ResponseEncodable {}
extension DeadLetterResponse: ResponseEncodable {}
extension QueuedResponse: ResponseEncodable {}
extension ListingStateResponse: ResponseEncodable {}
extension FXResponse: ResponseEncodable {}
extension FXSetResponse: ResponseEncodable {}
extension ValidationResponse: ResponseEncodable {}
extension ChannelPauseResponse: ResponseEncodable {}
extension ListingPreviewResponse: ResponseEncodable {}
extension OrdersResponse: ResponseEncodable {}
extension RestockResponse: ResponseEncodable {}
