import Foundation
import Testing
import BenchStore

#if canImport(Glibc)
import Glibc
#endif

/// No output option ever replaces something that is not a regular file.
@Suite struct OutputFileTests {
    func tempDir() throws -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("l4b-out-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    func fileType(_ path: String) -> mode_t {
        var st = stat()
        return lstat(path, &st) == 0 ? st.st_mode & S_IFMT : 0
    }

    @Test func aFIFOIsWrittenInPlace() throws {
        let d = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: d) }
        let fifo = "\(d)/pipe"
        #expect(mkfifo(fifo, 0o600) == 0)
        final class Box: @unchecked Sendable { var data = Data() }
        let received = Box()
        let reader = Thread {
            if let h = FileHandle(forReadingAtPath: fifo) { received.data = h.readDataToEndOfFile() }
        }
        reader.start()
        try OutputFile.write("report text\n", to: fifo)
        while !reader.isFinished { usleep(1000) }
        #expect(String(decoding: received.data, as: UTF8.self) == "report text\n")
        #expect(fileType(fifo) == S_IFIFO)
    }

    @Test func aDeviceNodeIsNeverReplaced() throws {
        try OutputFile.write("x", to: "/dev/null")
        #expect(fileType("/dev/null") == S_IFCHR)
        // A device node of our own (as root): the same null device, in a temporary directory.
        let d = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: d) }
        let node = "\(d)/null"
        if mknod(node, S_IFCHR | 0o666, makedev(1, 3)) == 0 {
            try OutputFile.write("statistics\n", to: node)
            #expect(fileType(node) == S_IFCHR)
        }
    }

    @Test func regularFilesAreReplacedAtomicallyAndDirectoriesRefused() throws {
        let d = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: d) }
        let f = "\(d)/sub/report.md"
        try OutputFile.write("one\n", to: f)
        try OutputFile.write("two\n", to: f)
        #expect(try String(contentsOfFile: f, encoding: .utf8) == "two\n")
        #expect(fileType(f) == S_IFREG)
        #expect(throws: OutputFile.WriteError.self) { try OutputFile.write("x", to: d) }
        // A link to a regular file stays a link; its target gets the text.
        let link = "\(d)/link.md"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: f)
        try OutputFile.write("three\n", to: link)
        #expect(fileType(link) == S_IFLNK)
        #expect(try String(contentsOfFile: f, encoding: .utf8) == "three\n")
    }
}

func makedev(_ major: UInt32, _ minor: UInt32) -> dev_t {
    dev_t((major & 0xfff) << 8) | dev_t(minor & 0xff) | (dev_t(major & ~0xfff) << 32) | (dev_t(minor & ~0xff) << 12)
}
