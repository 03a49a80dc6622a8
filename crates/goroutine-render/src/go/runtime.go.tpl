// mochiMaxHandles is the soft cap on live handles; a negative value means unbounded.
const mochiMaxHandles = @max_handles@

const (
	mochiChunkBits = 8
	mochiChunkSize = 1 << mochiChunkBits
	mochiMaxSlots  = 1<<32 - 1
)

// mochiEntry is one live handle: its value and the generation its ID carries.
type mochiEntry struct {
	gen uint32
	val any
}

// mochiChunk is a fixed block of slots; chunks never move once published.
type mochiChunk [mochiChunkSize]@atomic_pkg@.Pointer[mochiEntry]

// mochiTable is the package's handle table. An ID is generation<<32 | (slot+1), so 0 is never
// an ID. Resolving is lock-free: it loads the chunk directory and the slot's entry and compares
// generations. Acquire and release take mu. Every release bumps the slot's generation, and a slot
// whose generation wraps to 0 is retired instead of reused, so a released ID never resolves again.
type mochiTable struct {
	mu     @sync_pkg@.Mutex
	chunks @atomic_pkg@.Pointer[[]*mochiChunk]
	gens   []uint32
	free   []uint32
	live   @atomic_pkg@.Int64
}

// mochiHandles is this package's handle table.
var mochiHandles mochiTable

// mochiAcquireHandle stores v and returns its ID, or 0 when no handle can be acquired (the table
// is at mochiMaxHandles).
func mochiAcquireHandle(v any) uint64 {
	t := &mochiHandles
	t.mu.Lock()
	defer t.mu.Unlock()
	@cap_check@
	var idx uint32
	if n := len(t.free); n > 0 {
		idx = t.free[n-1]
		t.free = t.free[:n-1]
	} else {
		if uint64(len(t.gens)) >= mochiMaxSlots {
			return 0
		}
		idx = uint32(len(t.gens))
		if idx%mochiChunkSize == 0 {
			var dir []*mochiChunk
			if old := t.chunks.Load(); old != nil {
				dir = append(dir, *old...)
			}
			dir = append(dir, new(mochiChunk))
			t.chunks.Store(&dir)
		}
		t.gens = append(t.gens, 1)
	}
	gen := t.gens[idx]
	(*t.chunks.Load())[idx/mochiChunkSize][idx%mochiChunkSize].Store(&mochiEntry{gen: gen, val: v})
	t.live.Add(1)
	return uint64(gen)<<32 | uint64(idx+1)
}

// mochiResolveHandle returns the value stored under id; false for 0, unknown and released IDs.
// It takes no lock and is small enough for the compiler to inline into the shims.
func mochiResolveHandle(id uint64) (any, bool) {
	idx := uint32(id) - 1 // slot part 0 is never issued: it wraps out of range here
	if dir := mochiHandles.chunks.Load(); dir != nil && uint64(idx/mochiChunkSize) < uint64(len(*dir)) {
		if e := (*dir)[idx/mochiChunkSize][idx%mochiChunkSize].Load(); e != nil && e.gen == uint32(id>>32) {
			return e.val, true
		}
	}
	return nil, false
}

// mochiReleaseHandle frees id; false when it is 0, unknown or already released.
func mochiReleaseHandle(id uint64) bool {
	idx := uint32(id)
	if idx == 0 {
		return false
	}
	idx--
	t := &mochiHandles
	t.mu.Lock()
	defer t.mu.Unlock()
	if uint64(idx) >= uint64(len(t.gens)) {
		return false
	}
	slot := &(*t.chunks.Load())[idx/mochiChunkSize][idx%mochiChunkSize]
	e := slot.Load()
	if e == nil || e.gen != uint32(id>>32) {
		return false
	}
	slot.Store(nil)
	t.gens[idx]++
	if t.gens[idx] != 0 {
		t.free = append(t.free, idx)
	}
	t.live.Add(-1)
	return true
}
