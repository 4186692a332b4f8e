#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A plain TCP client for the loopback service tests: connects to 127.0.0.1, writes
/// length-framed messages (RFC 1035 §4.2.2), reads framed answers; every read is bounded by a
/// receive timeout.
package final class LoopbackTCPConnection {
    package let fd: Int32

    /// `source`: the loopback address to connect from (e.g. 127.0.0.2, to be another client
    /// of a server that counts connections per address); nil lets the kernel pick 127.0.0.1.
    package init(port: UInt16, timeout: Double = 5, source: String? = nil) throws {
        fd = try LoopbackSocket.open(.stream)
        if let source {
            try call("bind(\(source))", try LoopbackSocket.ipv4(source, port: 0), bind)
        }
        var interval = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))
        try call("connect", LoopbackSocket.loopback(port: port), connect)
    }

    /// `bind` or `connect` of the socket to `address`; on failure the socket is closed and
    /// the error names `what`.
    private func call(_ what: String, _ address: sockaddr_in, _ function: (Int32, UnsafePointer<sockaddr>, socklen_t) -> Int32) throws {
        var address = address
        let status = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { function(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard status == 0 else {
            let code = errno
            _ = close(fd)
            throw SocketError(call: what, code: code)
        }
    }

    deinit { _ = close(fd) }

    package func send(_ messages: [[UInt8]]) throws {
        let bytes = messages.flatMap { [UInt8($0.count >> 8), UInt8($0.count & 0xFF)] + $0 }
        let sent = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard sent == bytes.count else { throw SocketError(call: "write", code: errno) }
    }

    /// The next framed message, or nil at end of stream (the server closed) or timeout.
    package func receive() throws -> [UInt8]? {
        guard let header = try read(2) else { return nil }
        return try read(Int(header[0]) << 8 | Int(header[1]))
    }

    /// True when the server has closed the connection (read returns 0) within the timeout.
    /// Whether the peer closed the connection within the socket's timeout: an orderly close
    /// (EOF), or a reset — a server that closes with unread bytes in its receive buffer makes
    /// the kernel send RST instead of FIN.
    package func isClosedByPeer() -> Bool {
        var byte: UInt8 = 0
        while true {
            let n = recv(fd, &byte, 1, 0)
            if n == 0 { return true }
            if n < 0 && errno == EINTR { continue }
            return n < 0 && (errno == ECONNRESET || errno == EPIPE)
        }
    }

    private func read(_ count: Int) throws -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + got, count - got, 0) }
            if n == 0 { return nil }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { return nil }
                throw SocketError(call: "recv", code: errno)
            }
            got += n
        }
        return buffer
    }
}
