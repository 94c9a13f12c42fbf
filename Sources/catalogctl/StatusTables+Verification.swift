import ControlAPI

/// The listing verifier's part of `catalogctl status`.
extension StatusTables {
    /// One row per channel whose listings the verifier reads back: the last complete pass (when, how
    /// many listings read, how many drifted), the pass under way, the totals and the last failed read;
    /// empty when no channel has been verified.
    static func verification(_ channels: [ChannelSummary]) -> String {
        let rows = channels.compactMap { channel -> [String]? in
            guard let verification = channel.verification else { return nil }
            return [
                channel.name, verification.lastPassAt == nil ? "-" : clock(verification.lastPassAt),
                "\(verification.lastPassChecked)/\(verification.lastPassDrifted)",
                "\(verification.passChecked)/\(verification.passDrifted)",
                "\(verification.totalChecked)/\(verification.totalDrifted)", verification.lastError ?? "-",
            ]
        }
        guard !rows.isEmpty else { return "" }
        return "\nVERIFIED LIVE (listings read back / drifted)\n"
            + Table.render(["CHANNEL", "LAST PASS AT", "LAST PASS", "THIS PASS", "TOTAL", "LAST READ ERROR"], rows)
    }
}
