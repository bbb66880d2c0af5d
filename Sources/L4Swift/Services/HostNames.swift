#if canImport(L4Wire)
/// On the host (the tests) the client generated from `L4Re::Dataspace` keeps
/// its name; on L4Re swift.mk calls it `L4ReDataspace`, since L4Swift has a
/// `Dataspace` of its own (the allocated memory) in the same module.
public typealias L4ReDataspace = Dataspace
#endif
