import Foundation
import Testing
@testable import L4IfaceGen

/// Reading a header file: an empty one is read as empty text (it used to be
/// refused as "larger than 16777216 bytes"), a binary one is not UTF-8.
struct HeaderFilesTests {
    func write(_ bytes: [UInt8], _ name: String) throws -> String {
        let p = FileManager.default.temporaryDirectory.appendingPathComponent("l4gen-headerfiles-\(getpid())-\(name)").path
        try Data(bytes).write(to: URL(fileURLWithPath: p))
        return p
    }

    @Test func emptyHeaderReadsAsEmpty() throws {
        let p = try write([], "empty.h")
        defer { try? FileManager.default.removeItem(atPath: p) }
        #expect(HeaderFiles.read(p) == .success(""))
    }

    @Test func smallHeaderReadsWhole() throws {
        let p = try write(Array("struct A;\n".utf8), "small.h")
        defer { try? FileManager.default.removeItem(atPath: p) }
        #expect(HeaderFiles.read(p) == .success("struct A;\n"))
    }

    @Test func binaryHeaderIsNotUTF8() throws {
        let p = try write([0xff, 0xfe, 0x00, 0xc3], "binary.h")
        defer { try? FileManager.default.removeItem(atPath: p) }
        #expect(HeaderFiles.read(p) == .failure(.notUTF8))
    }
}
