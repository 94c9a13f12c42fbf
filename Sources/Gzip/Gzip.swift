import CZlib

/// Whole-document gzip (RFC 1952) through the system's zlib: what Amazon's Feeds API means by
/// `compressionAlgorithm: GZIP` on a feed document (its processing reports).
public enum Gzip {
    /// Why bytes could not be decompressed.
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// zlib's words, or ours.
        public var description: String
    }

    /// The largest document ``decompress(_:limit:)`` inflates by default (256 MiB): a corrupt or
    /// hostile header cannot make it allocate without bound.
    public static let defaultLimit = 256 << 20

    /// Whether `bytes` start like a gzip member (`1F 8B`).
    public static func isCompressed(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// `bytes` as one gzip member (default compression level).
    public static func compress(_ bytes: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
        guard
            deflateInit2_(
                &stream,
                Z_DEFAULT_COMPRESSION,
                Z_DEFLATED,
                15 + 16,
                8,
                Z_DEFAULT_STRATEGY,
                ZLIB_VERSION,
                Int32(MemoryLayout<z_stream>.size)
            ) == Z_OK
        else { preconditionFailure("zlib refused its own default parameters") }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 32)
        var input = bytes
        let written = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target -> Int in
                stream.next_in = source.baseAddress
                stream.avail_in = uInt(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(target.count)
                // deflateBound leaves room for everything: one call finishes.
                precondition(deflate(&stream, Z_FINISH) == Z_STREAM_END, "deflateBound was too small")
                return target.count - Int(stream.avail_out)
            }
        }
        return Array(output.prefix(written))
    }

    /// The content of a gzip document (every member, concatenated, as `gunzip` gives it).
    /// - Throws: ``Failure`` when the bytes are not gzip, are cut short, fail their CRC, or inflate to
    ///   more than `limit` bytes.
    public static func decompress(_ bytes: [UInt8], limit: Int = defaultLimit) throws(Failure) -> [UInt8] {
        guard isCompressed(bytes) else { throw Failure(description: "not gzip data (no 1F 8B header)") }
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Failure(description: "zlib could not start inflating")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var input = bytes
        var consumed = 0
        while true {
            let (status, produced, used) = input.withUnsafeMutableBufferPointer { source in
                chunk.withUnsafeMutableBufferPointer { target -> (Int32, Int, Int) in
                    stream.next_in = source.baseAddress! + consumed
                    stream.avail_in = uInt(source.count - consumed)
                    stream.next_out = target.baseAddress
                    stream.avail_out = uInt(target.count)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    return (
                        status, target.count - Int(stream.avail_out),
                        source.count - consumed - Int(stream.avail_in)
                    )
                }
            }
            consumed += used
            output.append(contentsOf: chunk.prefix(produced))
            guard output.count <= limit else { throw Failure(description: "gzip content exceeds \(limit) bytes") }
            switch status {
            case Z_STREAM_END:
                // Another member may follow (concatenated gzip files).
                guard consumed < input.count, isCompressed(Array(input[consumed...].prefix(2))) else { return output }
                guard inflateReset(&stream) == Z_OK else { throw Failure(description: "zlib could not reset") }
            case Z_OK:
                // More output or more input to come; with neither, zlib answers Z_BUF_ERROR next.
                continue
            case Z_BUF_ERROR:
                throw Failure(description: "gzip data is cut short")
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                throw Failure(description: "gzip data is corrupt: \(message)")
            }
        }
    }
}
