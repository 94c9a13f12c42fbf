import Testing

/// The suites that each start `catalogsyncd` processes for one concern (one daemon per state, status,
/// refusals, socket limits), run one after another: every daemon seeds a catalog and runs the
/// sandbox twins, and several at once on a 2-core machine starve the timing-bound engine tests that
/// run in parallel with them.
@Suite(.serialized)
enum DaemonProcessSuites {}
