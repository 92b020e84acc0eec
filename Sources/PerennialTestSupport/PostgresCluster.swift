import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A throwaway PostgreSQL server for tests: `initdb` in a temporary directory, started with `pg_ctl`
/// on a free loopback port, stopped when the test process exits. Each test gets its own database.
///
/// The server's programs come from `$PERENNIAL_PG_BIN`, else the newest `/usr/lib/postgresql/*/bin`
/// (Debian's layout). PostgreSQL refuses to run as root, so under root the server runs as the
/// `postgres` user the Debian package creates.
public final class PostgresCluster: @unchecked Sendable {
    /// The port the server listens on (127.0.0.1 only).
    public let port: Int
    private let bin: String
    private let lock = NSLock()
    private var databases = 0

    /// The cluster of this test process, started on first use; `nil` when PostgreSQL is not installed
    /// (``required`` says whether that fails the run).
    public static func shared() throws -> PostgresCluster? {
        switch started {
        case .success(let cluster): return cluster
        case .failure(let error):
            if required || !(error is NotInstalled) { throw error }
            return nil
        }
    }

    /// Whether PostgreSQL tests must run (`PERENNIAL_REQUIRE_POSTGRES=1`, as `.ci/run` sets) rather than
    /// be skipped when the server is not installed.
    public static var required: Bool { ProcessInfo.processInfo.environment["PERENNIAL_REQUIRE_POSTGRES"] == "1" }

    private static let started: Result<PostgresCluster, any Error> = Result { try PostgresCluster() }

    /// Whether PostgreSQL's programs are here (without starting anything).
    public static var isInstalled: Bool { (try? binDirectory()) != nil }

    /// PostgreSQL's programs were not found.
    public struct NotInstalled: Error, CustomStringConvertible {
        public var description: String
    }

    private init() throws {
        bin = try Self.binDirectory()
        port = freeLoopbackPort()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("perennial-pg-\(UUID().uuidString)").path
        let data = root + "/data"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let asRoot = getuid() == 0
        if asRoot { try Self.run("/bin/chown", ["-R", "postgres", root]) }
        let server = { (tool: String, arguments: [String]) throws in
            if asRoot {
                try Self.run("/usr/sbin/runuser", ["-u", "postgres", "--", self.bin + "/" + tool] + arguments)
            } else {
                try Self.run(self.bin + "/" + tool, arguments)
            }
        }
        try server("initdb", ["-D", data, "-U", "perennial", "-A", "trust", "-E", "UTF8", "--no-sync"])
        let options = "-p \(port) -c listen_addresses=127.0.0.1 -c unix_socket_directories=\(root) -c fsync=off -c max_connections=300"
        try server("pg_ctl", ["-D", data, "-l", root + "/server.log", "-o", options, "-w", "-t", "60", "start"])
        Self.stopCommand = (asRoot ? ["/usr/sbin/runuser", "-u", "postgres", "--"] : []) + [bin + "/pg_ctl", "-D", data, "-m", "immediate", "stop"]
        Self.removeAtExit = root
        atexit {
            let command = PostgresCluster.stopCommand
            if !command.isEmpty { try? PostgresCluster.run(command[0], Array(command.dropFirst())) }
            try? FileManager.default.removeItem(atPath: PostgresCluster.removeAtExit)
        }
    }

    nonisolated(unsafe) private static var stopCommand: [String] = []
    nonisolated(unsafe) private static var removeAtExit = ""

    /// Creates an empty database and returns its `postgres://` URL.
    public func createDatabase() throws -> String {
        let name = lock.withLock {
            databases += 1
            return "test_\(getpid())_\(databases)"
        }
        try Self.run(bin + "/createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", "perennial", name])
        return "postgres://perennial@127.0.0.1:\(port)/\(name)?sslmode=disable"
    }

    private static func binDirectory() throws -> String {
        if let configured = ProcessInfo.processInfo.environment["PERENNIAL_PG_BIN"] {
            guard FileManager.default.isExecutableFile(atPath: configured + "/initdb") else {
                throw NotInstalled(description: "PERENNIAL_PG_BIN is \(configured), which holds no initdb")
            }
            return configured
        }
        let base = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
        let installed = versions.compactMap(Int.init).sorted().last { FileManager.default.isExecutableFile(atPath: "\(base)/\($0)/bin/initdb") }
        guard let installed else {
            throw NotInstalled(description: "PostgreSQL is not installed (no \(base)/*/bin/initdb); install postgresql (apt-get install postgresql-15) or set PERENNIAL_PG_BIN.")
        }
        return "\(base)/\(installed)/bin"
    }

    private struct CommandFailed: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs a program and waits for it. `posix_spawn` and `waitpid` rather than `Process`: Foundation
    /// watches a child through a descriptor that the server `pg_ctl start` leaves running inherits, so
    /// it would wait for ever. Output goes to a file that is read for the error message.
    private static func run(_ executable: String, _ arguments: [String]) throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("perennial-pg-command-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw CommandFailed(description: "cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = status & 0x7f == 0
        let code = (status >> 8) & 0xff
        guard exited && code == 0 else {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw CommandFailed(description: "\((executable as NSString).lastPathComponent) \(arguments.joined(separator: " ")) failed (status \(status)): \(text)")
        }
    }
}
