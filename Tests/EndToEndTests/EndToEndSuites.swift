import Testing

/// Every end-to-end suite, one at a time: each runs real processes and measures pace (quotas), so two
/// at once on a 2-core machine would only slow each other down.
@Suite(.serialized)
enum EndToEndSuites {}
