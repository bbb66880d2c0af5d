/// An error of an L4 operation: an IPC error the kernel reported, or a
/// negative return code of a server or of marshalling (L4Re's `-L4_E*`).
///
/// `code` is the value L4Re's C++ API returns for the same failure, so Swift
/// and C++ report alike: `-(2000 + ipc error)` for IPC errors (`l4_ipc_to_errno`),
/// the negative code itself otherwise.
public enum L4Error: Error, Equatable {
    /// The kernel's IPC error code (`L4_IPC_*`, 0x01-0x1f).
    case ipc(Int)
    /// A negative return code (`-L4_E*`): from the server's reply label or the local marshalling.
    case code(Int)

    public var code: Int {
        switch self {
        case .ipc(let e): return -(L4Err.eipcLo + e)
        case .code(let c): return c
        }
    }

    /// The error for an L4Re return value (negative), mapping the IPC range back to `.ipc`.
    public init(returnCode c: Int) {
        if -c >= L4Err.eipcLo && -c <= L4Err.eipcHi { self = .ipc(-c - L4Err.eipcLo) } else { self = .code(c) }
    }

    public var isTimeout: Bool { self == .ipc(IpcErr.receiveTimeout) || self == .ipc(IpcErr.sendTimeout) }

    /// A short name for logs.
    public var name: StaticString {
        switch self {
        case .ipc(let e):
            switch e {
            case IpcErr.notExistent: return "IPC: destination does not exist"
            case IpcErr.receiveTimeout: return "IPC: receive timeout"
            case IpcErr.sendTimeout: return "IPC: send timeout"
            case IpcErr.receiveCanceled: return "IPC: receive canceled"
            case IpcErr.sendCanceled: return "IPC: send canceled"
            case IpcErr.receiveMapFailed: return "IPC: map failed on receive"
            case IpcErr.sendMapFailed: return "IPC: map failed on send"
            case IpcErr.receiveMessageCut: return "IPC: message cut on receive"
            case IpcErr.sendMessageCut: return "IPC: message cut on send"
            default: return "IPC error"
            }
        case .code(let c):
            switch -c {
            case L4Err.perm: return "no permission"
            case L4Err.noent: return "no such entity"
            case L4Err.nomem: return "no memory"
            case L4Err.inval: return "invalid argument"
            case L4Err.nosys: return "operation not implemented (unknown opcode)"
            case L4Err.badproto: return "unsupported protocol"
            case L4Err.msgTooShort: return "message too short"
            case L4Err.msgTooLong: return "message too long"
            case L4Err.msgMissArg: return "missing capability argument"
            default: return "error"
            }
        }
    }
}

/// L4Re error numbers (l4sys `err.h`), positive; return codes are their negation.
public enum L4Err {
    public static let perm = 1
    public static let noent = 2
    public static let io = 5
    public static let again = 11
    public static let nomem = 12
    public static let fault = 14
    public static let inval = 22
    public static let range = 34
    public static let nosys = 38
    public static let badproto = 39
    public static let noReply = 1000
    public static let msgTooShort = 1001
    public static let msgTooLong = 1002
    public static let msgMissArg = 1003
    public static let eipcLo = 2000
    public static let eipcHi = 2000 + 0x1f
}

/// The kernel's IPC error codes (l4sys `ipc.h`), read from the UTCB error register.
public enum IpcErr {
    public static let mask = 0x1f
    public static let sendTimeout = 0x02
    public static let receiveTimeout = 0x03
    public static let notExistent = 0x04
    public static let sendCanceled = 0x06
    public static let receiveCanceled = 0x07
    public static let sendMessageCut = 0x08
    public static let receiveMessageCut = 0x09
    public static let sendMapFailed = 0x10
    public static let receiveMapFailed = 0x11
}
