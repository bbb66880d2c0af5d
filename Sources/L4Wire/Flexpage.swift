/// Flexpages and typed message items (l4sys `__l4_fpage.h`, `consts.h`,
/// C++ `L4::Ipc::Snd_fpage` and `Small_buf`).
public enum Fpage {
    public static let rightsShift = 0
    public static let typeShift = 4
    public static let sizeShift = 6
    public static let addrShift = 12
    public static let typeMemory = 1
    public static let typeIO = 2
    public static let typeObject = 3

    /// Capability rights (`L4_CAP_FPAGE_*`).
    public static let capW: UInt = 0x1
    public static let capS: UInt = 0x2
    public static let capR: UInt = 0x4
    public static let capD: UInt = 0x8
    public static let capRW: UInt = capR | capW
    public static let capRWS: UInt = capRW | capS
    public static let capRWSD: UInt = capRWS | capD
    /// Object-specific rights bits (`L4_FPAGE_C_OBJ_RIGHTS`).
    public static let capObjRights: UInt = 0xe0

    /// Memory rights (`L4_FPAGE_*`).
    public static let memX: UInt = 0x1
    public static let memW: UInt = 0x2
    public static let memR: UInt = 0x4
    public static let memRW: UInt = memR | memW
    public static let memRWX: UInt = memRW | memX

    /// `__l4_fpage_generic`.
    @inline(__always)
    public static func generic(address: UInt, type: Int, order: Int, rights: UInt) -> UInt {
        ((rights << UInt(rightsShift)) & 0xf) | ((UInt(type) << UInt(typeShift)) & 0x30)
            | ((UInt(order) << UInt(sizeShift)) & 0xfc0) | (address & (~0 << UInt(addrShift)))
    }

    /// `l4_obj_fpage(cap, order, rights)`.
    @inline(__always)
    public static func object(_ cap: UInt, order: Int = 0, rights: UInt) -> UInt {
        generic(address: cap, type: typeObject, order: order, rights: rights)
    }

    /// `l4_fpage(address, order, rights)` for memory.
    @inline(__always)
    public static func memory(_ address: UInt, order: Int, rights: UInt) -> UInt {
        generic(address: address, type: typeMemory, order: order, rights: rights)
    }
}

/// Item constants (`consts.h`).
public enum Item {
    /// `L4_ITEM_MAP`: the word is a map item.
    public static let map: UInt = 8
    /// `L4_ITEM_CONT`: the next item belongs to the same receive item.
    public static let cont: UInt = 1
    /// `L4_MAP_ITEM_GRANT`.
    public static let grant: UInt = 2
    /// `L4_RCV_ITEM_SINGLE_CAP`: a receive buffer for one capability.
    public static let rcvSingleCap: UInt = map | 2
    /// `L4_RCV_ITEM_LOCAL_ID`.
    public static let rcvLocalID: UInt = 4
}

/// A send item: two words, the control word and the flexpage
/// (`L4::Ipc::Snd_fpage`).
public struct SndFpage: Equatable {
    public var base: UInt
    public var data: UInt

    public init(base: UInt, data: UInt) { self.base = base; self.data = data }

    /// Maps (or grants) the capability at index `cap` with `rights`: what
    /// `L4::Ipc::Snd_fpage(L4::Cap<void>, rights, map_type)` sends.
    public static func capability(_ cap: UInt, rights: UInt, grant: Bool = false) -> SndFpage {
        SndFpage(base: Item.map | (grant ? Item.grant : 0) | (rights & 0xf0), data: Fpage.object(cap, rights: rights))
    }

    /// Maps the memory flexpage `fpage`; `sendBase` places it in the receive window.
    public static func memory(_ fpage: UInt, sendBase: UInt = 0, grant: Bool = false) -> SndFpage {
        SndFpage(base: Item.map | (sendBase & (~0 << 12)) | (grant ? Item.grant : 0), data: fpage)
    }

    /// A received item: did a capability arrive (`Snd_fpage::cap_received`)?
    public var capReceived: Bool { base & 0x3e == 0x38 }
    /// Is this a valid (map) item?
    public var isMapItem: Bool { base & Item.map != 0 }
}

/// A receive window for a map item (`L4::Ipc::Rcv_fpage`): two buffer words,
/// the control word and the flexpage where mappings may land.
public struct RcvFpage: Equatable {
    public var base: UInt
    public var data: UInt

    public init(base: UInt, data: UInt) { self.base = base; self.data = data }

    /// A window over the flexpage `fpage` (memory, I/O or objects): what
    /// `L4::Ipc::Rcv_fpage(fpage, snd_base)` puts in the buffer registers.
    public static func window(_ fpage: UInt, sendBase: UInt = 0) -> RcvFpage {
        RcvFpage(base: Item.map | (sendBase & (~0 << 12)), data: fpage)
    }
}

/// A receive buffer for one capability at index `cap` (`L4::Ipc::Small_buf`).
@inline(__always)
public func smallBuffer(cap: UInt, flags: UInt = 0) -> UInt { cap | Item.rcvSingleCap | flags }

/// Capability index constants (`consts.h`): the index lives above bit 12.
public enum CapIndex {
    public static let shift = 12
    public static let invalid: UInt = ~0 << 11
    public static let invalidBit: UInt = 1 << 11
    @inline(__always) public static func isValid(_ c: UInt) -> Bool { c & invalidBit == 0 }
}
