/// Header text shaped as uclibc's signal headers (what `L4Re::Itas` passes): a `sigset_t` whose array length an
/// `#if` chooses, the generator not evaluating `#if`s. For the tests that read such structs.
enum LibcLikeHeader {
    static let sigset = """
        #if defined(__mips__)
        # define NSIGWORDS (128 / (8 * sizeof (unsigned long)))
        #else
        # define NSIGWORDS (64 / (8 * sizeof (unsigned long)))
        #endif
        typedef struct { unsigned long val[NSIGWORDS]; } sigset_t;
        """
}
