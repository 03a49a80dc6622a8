//go:build mochi_wrap

package gowrap

import (
	"sync"
	"testing"
)

// The seed's in-process round trip: a goroutine sends 42 on a chan int64 whose handle ID came
// from the rendered table, a peer resolves the same ID and receives 42, and releasing the ID
// brings the live count back to 0. Also: a released ID never resolves again, even after its
// slot is reused, and the soft cap holds.
func TestHandleRoundTrip(t *testing.T) {
	id := mochiAcquireHandle(make(chan int64, 1))
	if id == 0 {
		t.Fatal("acquire returned 0")
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		v, ok := mochiResolveHandle(id)
		if !ok {
			t.Error("sender: resolve failed")
			return
		}
		v.(chan int64) <- 42
	}()
	got := int64(0)
	go func() {
		defer wg.Done()
		v, ok := mochiResolveHandle(id)
		if !ok {
			t.Error("receiver: resolve failed")
			return
		}
		got = <-v.(chan int64)
	}()
	wg.Wait()
	if got != 42 {
		t.Fatalf("received %d, want 42", got)
	}
	if !mochiReleaseHandle(id) {
		t.Fatal("release failed")
	}
	if mochiReleaseHandle(id) {
		t.Fatal("double release succeeded")
	}
	if _, ok := mochiResolveHandle(id); ok {
		t.Fatal("released ID resolved")
	}
	again := mochiAcquireHandle("x")
	if uint32(again) != uint32(id) || again == id {
		t.Fatalf("slot reuse: got %#x after %#x, want same slot, new generation", again, id)
	}
	if _, ok := mochiResolveHandle(id); ok {
		t.Fatal("stale ID resolved after slot reuse")
	}
	mochiReleaseHandle(again)
	if n := mochiHandles.live.Load(); n != 0 {
		t.Fatalf("live = %d, want 0", n)
	}
	if _, ok := mochiResolveHandle(0); ok {
		t.Fatal("ID 0 resolved")
	}
}

func TestHandleCapAndConcurrency(t *testing.T) {
	var ids []uint64
	for {
		id := mochiAcquireHandle(len(ids))
		if id == 0 {
			break
		}
		ids = append(ids, id)
		if len(ids) > mochiMaxHandles+1 {
			t.Fatal("cap not enforced")
		}
	}
	if len(ids) != mochiMaxHandles {
		t.Fatalf("acquired %d, want the cap %d", len(ids), mochiMaxHandles)
	}
	for i, id := range ids {
		v, ok := mochiResolveHandle(id)
		if !ok || v.(int) != i {
			t.Fatalf("id %d resolved to %v, %v", i, v, ok)
		}
		mochiReleaseHandle(id)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 2000; i++ {
				id := mochiAcquireHandle(g)
				if id == 0 {
					continue
				}
				if v, ok := mochiResolveHandle(id); !ok || v.(int) != g {
					t.Errorf("resolve mismatch")
				}
				if !mochiReleaseHandle(id) {
					t.Errorf("release failed")
				}
			}
		}(g)
	}
	wg.Wait()
	if n := mochiHandles.live.Load(); n != 0 {
		t.Fatalf("live = %d after concurrent use, want 0", n)
	}
}

// A slot whose generation would wrap to 0 is retired: its last ID never resolves again and the
// slot is not handed out again.
func TestGenerationWrapRetiresTheSlot(t *testing.T) {
	id := mochiAcquireHandle("wrap")
	idx := uint32(id) - 1
	mochiHandles.mu.Lock()
	// Pretend the slot has been reused 2^32-1 times: give the live entry the last generation.
	mochiHandles.gens[idx] = ^uint32(0)
	e := mochiHandles.chunks.Load()
	(*e)[idx/mochiChunkSize][idx%mochiChunkSize].Store(&mochiEntry{gen: ^uint32(0), val: "wrap"})
	mochiHandles.mu.Unlock()
	last := uint64(^uint32(0))<<32 | uint64(idx+1)
	if v, ok := mochiResolveHandle(last); !ok || v.(string) != "wrap" {
		t.Fatal("last-generation ID does not resolve")
	}
	if !mochiReleaseHandle(last) {
		t.Fatal("release failed")
	}
	if _, ok := mochiResolveHandle(last); ok {
		t.Fatal("released last-generation ID resolved")
	}
	for i := 0; i < 3; i++ {
		next := mochiAcquireHandle(i)
		if uint32(next)-1 == idx {
			t.Fatalf("retired slot %d was reused by %#x", idx, next)
		}
		if uint32(next>>32) == 0 {
			t.Fatalf("ID %#x has generation 0", next)
		}
		defer mochiReleaseHandle(next)
	}
}
