#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CZlib

/// Reads a file's bytes in chunks, inflating gzip transparently (detected by its magic bytes, whatever
/// the file's name).
public final class ByteSource {
    /// The path read.
    public let path: String
    /// The file's size on disk, in bytes.
    public let fileSize: Int64
    /// Whether the file is gzip-compressed.
    public let isGzip: Bool
    /// Bytes consumed from the file so far (compressed bytes for gzip), for progress.
    public private(set) var fileBytesRead: Int64 = 0

    private let descriptor: Int32
    private var stream = z_stream()
    private var input: UnsafeMutablePointer<UInt8>
    private let inputCapacity = 1 << 18
    private var inputStart = 0
    private var inputEnd = 0
    private var finished = false

    /// Opens a file.
    /// - Throws: ``IngestionError/cannotOpen(path:reason:)`` or ``IngestionError/emptyFile(path:)``.
    public init(path: String) throws {
        self.path = path
        descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw IngestionError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        var info = stat()
        fstat(descriptor, &info)
        fileSize = Int64(info.st_size)
        input = .allocate(capacity: inputCapacity)
        // From here on every property is set, so a throw runs deinit, which closes and frees.
        guard (info.st_mode & S_IFMT) != S_IFDIR else {
            isGzip = false
            throw IngestionError.cannotOpen(path: path, reason: "it is a directory")
        }
        let first = Glibc.read(descriptor, input, inputCapacity)
        inputEnd = max(first, 0)
        fileBytesRead = Int64(inputEnd)
        isGzip = inputEnd >= 2 && input[0] == 0x1f && input[1] == 0x8b
        if inputEnd == 0 { throw IngestionError.emptyFile(path: path) }
        if isGzip {
            // 15 window bits + 32: detect the gzip header automatically.
            let status = inflateInit2_(&stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
            guard status == Z_OK else { throw IngestionError.corruptGzip(path: path, reason: "zlib could not start (\(status))") }
            inflating = true
        }
    }

    deinit {
        if inflating { inflateEnd(&stream) }
        close(descriptor)
        input.deallocate()
    }

    /// Fills `buffer` with up to `count` bytes; returns 0 at the end of the data.
    public func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        isGzip ? try inflate(into: buffer, count: count) : try readPlain(into: buffer, count: count)
    }

    private func readPlain(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        if inputStart < inputEnd {
            let n = min(count, inputEnd - inputStart)
            buffer.update(from: input + inputStart, count: n)
            inputStart += n
            return n
        }
        let n = Glibc.read(descriptor, buffer, count)
        guard n >= 0 else { throw IngestionError.readFailed(path: path, reason: String(cString: strerror(errno))) }
        fileBytesRead += Int64(n)
        return n
    }

    private func refillInput() throws {
        let n = Glibc.read(descriptor, input, inputCapacity)
        guard n >= 0 else { throw IngestionError.readFailed(path: path, reason: String(cString: strerror(errno))) }
        inputStart = 0
        inputEnd = n
        fileBytesRead += Int64(n)
    }

    private func inflate(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        var produced = 0
        while produced < count && !finished {
            if inputStart == inputEnd {
                try refillInput()
                if inputEnd == 0 {
                    finished = true
                    if !streamEnded {
                        throw IngestionError.corruptGzip(path: path, reason: "the file ends in the middle of the compressed data (truncated download?)")
                    }
                    break
                }
            }
            stream.next_in = input + inputStart
            stream.avail_in = UInt32(inputEnd - inputStart)
            stream.next_out = buffer + produced
            stream.avail_out = UInt32(count - produced)
            let status = CZlib.inflate(&stream, Z_NO_FLUSH)
            let consumed = (inputEnd - inputStart) - Int(stream.avail_in)
            inputStart += consumed
            produced = count - Int(stream.avail_out)
            switch status {
            case Z_OK, Z_BUF_ERROR:
                streamEnded = false
            case Z_STREAM_END:
                // Another gzip member may follow (concatenated .gz files).
                streamEnded = true
                inflateReset(&stream)
                if inputStart == inputEnd {
                    try refillInput()
                    if inputEnd == 0 { finished = true }
                }
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw IngestionError.corruptGzip(path: path, reason: message)
            }
        }
        return produced
    }

    private var streamEnded = false
    private var inflating = false
}
