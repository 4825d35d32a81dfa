import Foundation

/// What one kubectl invocation printed and how it exited.
public struct KubectlResult: Sendable {
    public var exitCode: Int32
    public var stdout: String
    public var stderr: String

    public init(exitCode: Int32, stdout: String, stderr: String) {
        self.exitCode = exitCode
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// Runs the real kubectl binary (`HMCO_KUBECTL` or `/usr/bin/kubectl`).
public enum KubectlProcess {
    public static let binary = ProcessInfo.processInfo.environment["HMCO_KUBECTL"] ?? "/usr/bin/kubectl"
    public static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    /// Runs kubectl with `arguments` against `kubeconfig`, feeding `input` on
    /// stdin; output goes through files so large outputs cannot block the pipe.
    /// Polls for exit with a deadline and terminates kubectl when it passes.
    public static func run(
        _ arguments: [String], kubeconfig: String, input: String? = nil, timeout: Duration = .seconds(60)
    ) async throws -> KubectlResult {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kubectl-\(uniqueSuffix())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["KUBECONFIG"] = kubeconfig
        // A private HOME keeps kubectl's discovery cache from leaking between tests.
        environment["HOME"] = directory.path
        process.environment = environment
        let out = directory.appendingPathComponent("out")
        let err = directory.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.waitUntilExit()
        return KubectlResult(
            exitCode: process.terminationStatus,
            stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }
}
