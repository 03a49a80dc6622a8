//go:build mochi_wrap

// A seed-style handle table for the benchmark's comparison: a sync.Mutex over a
// map[uint64]cgo.Handle, with cgo.NewHandle/Delete outside the critical section, behind the same
// three helpers (and the `live` counter the shim file reads). Not generated; not shipped.
package main

import (
	"runtime/cgo"
	"sync"
	"sync/atomic"
)

const mochiMaxHandles = 4096

type mochiSeedTable struct {
	mu   sync.Mutex
	m    map[uint64]cgo.Handle
	next uint64
	live atomic.Int64
}

var mochiHandles = mochiSeedTable{m: map[uint64]cgo.Handle{}}

func mochiAcquireHandle(v any) uint64 {
	h := cgo.NewHandle(v)
	t := &mochiHandles
	t.mu.Lock()
	if len(t.m) >= mochiMaxHandles {
		t.mu.Unlock()
		h.Delete()
		return 0
	}
	t.next++
	id := t.next
	t.m[id] = h
	t.mu.Unlock()
	t.live.Add(1)
	return id
}

func mochiResolveHandle(id uint64) (any, bool) {
	t := &mochiHandles
	t.mu.Lock()
	h, ok := t.m[id]
	t.mu.Unlock()
	if !ok {
		return nil, false
	}
	return h.Value(), true
}

func mochiReleaseHandle(id uint64) bool {
	t := &mochiHandles
	t.mu.Lock()
	h, ok := t.m[id]
	delete(t.m, id)
	t.mu.Unlock()
	if ok {
		h.Delete()
		t.live.Add(-1)
	}
	return ok
}
