#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Plain BSD sockets on 127.0.0.1, enough for tests to pick a port for a server and to send it
/// one UDP datagram at a time. Every call reports failure as a thrown `SocketError`.
package enum LoopbackSocket {
    /// A port free for both UDP and TCP on 127.0.0.1: binds a UDP socket to port 0, reads
    /// the port the kernel chose, binds a TCP socket to the same port, then closes both so
    /// the server can take it. Retries (bounded) when the TCP side of that port is taken.
    package static func freePort() throws -> UInt16 {
        for _ in 0..<20 {
            let udp = try open(.datagram)
            defer { _ = close(udp) }
            try bindLoopback(udp, port: 0)
            let port = try boundPort(udp)
            let tcp = try open(.stream)
            defer { _ = close(tcp) }
            if (try? bindLoopback(tcp, port: port)) != nil { return port }
        }
        throw SocketError(call: "freePort", code: EADDRINUSE)
    }

    /// Sends `query` to `host`:`port` over UDP (`host` an IPv4 loopback address, 127.0.0.1
    /// unless given) and returns the first datagram that comes back from that port whose first
    /// two octets (the DNS ID) match the query's, or nil when none does within `timeout`
    /// seconds. The socket is not connected, so an ICMP port unreachable does not end the wait
    /// early: each call waits at most `timeout`.
    package static func exchangeUDP(_ query: [UInt8], host: String = "127.0.0.1", port: UInt16, timeout: Double) throws -> [UInt8]? {
        let fd = try open(.datagram)
        defer { _ = close(fd) }
        var interval = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1_000_000))
        guard setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size)) == 0 else {
            throw SocketError(call: "setsockopt(SO_RCVTIMEO)", code: errno)
        }
        var address = try ipv4(host, port: port)
        let sent = query.withUnsafeBytes { buffer in
            withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, buffer.baseAddress, buffer.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        guard sent == query.count else { throw SocketError(call: "sendto", code: errno) }
        var buffer = [UInt8](repeating: 0, count: 65_535)
        // Bounded: every recvfrom returns within `timeout`, and a stray datagram costs one try.
        for _ in 0..<8 {
            var from = sockaddr_in()
            var fromLength = socklen_t(MemoryLayout<sockaddr_in>.size)
            let received = buffer.withUnsafeMutableBytes { raw in
                withUnsafeMutablePointer(to: &from) { pointer in
                    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        recvfrom(fd, raw.baseAddress, raw.count, 0, $0, &fromLength)
                    }
                }
            }
            if received < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return nil }
                throw SocketError(call: "recvfrom", code: errno)
            }
            guard from.sin_port == port.bigEndian, received >= 2, query.count >= 2,
                  buffer[0] == query[0], buffer[1] == query[1] else { continue }
            return Array(buffer[0..<received])
        }
        return nil
    }

    package enum Kind { case datagram, stream }

    package static func open(_ kind: Kind) throws -> Int32 {
        #if canImport(Darwin)
        let type = kind == .datagram ? SOCK_DGRAM : SOCK_STREAM
        #else
        let type = Int32(kind == .datagram ? SOCK_DGRAM.rawValue : SOCK_STREAM.rawValue)
        #endif
        let fd = socket(AF_INET, type, 0)
        guard fd >= 0 else { throw SocketError(call: "socket", code: errno) }
        return fd
    }

    package static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }

    /// Throws `SocketError` (EADDRINUSE) unless both UDP and TCP `host`:`port` can be bound
    /// right now: for servers that must take a fixed address and port (53 and 25 on their own
    /// 127.0.x.y), so a stale server there is reported instead of silently answering for them.
    package static func checkFree(_ host: String, port: UInt16) throws {
        for kind in [Kind.datagram, .stream] {
            let fd = try open(kind)
            defer { _ = close(fd) }
            var address = try ipv4(host, port: port)
            let status = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard status == 0 else { throw SocketError(call: "bind(\(host):\(port) \(kind == .datagram ? "udp" : "tcp"))", code: errno) }
        }
    }

    /// `host` (dotted IPv4, e.g. 127.0.3.1) and `port` as a socket address.
    package static func ipv4(_ host: String, port: UInt16) throws -> sockaddr_in {
        var address = loopback(port: port)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { throw SocketError(call: "inet_pton(\(host))", code: EINVAL) }
        return address
    }

    package static func bindLoopback(_ fd: Int32, port: UInt16) throws {
        var address = loopback(port: port)
        let status = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard status == 0 else { throw SocketError(call: "bind", code: errno) }
    }

    package static func boundPort(_ fd: Int32) throws -> UInt16 {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let status = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard status == 0 else { throw SocketError(call: "getsockname", code: errno) }
        return UInt16(bigEndian: address.sin_port)
    }
}

package struct SocketError: Error, CustomStringConvertible {
    package let call: String
    package let code: Int32
    package var description: String { "\(call) failed: \(String(cString: strerror(code)))" }
}
