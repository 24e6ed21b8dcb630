package speech

import "sort"

// node is one state of the double-array Aho-Corasick automaton. The goto function is
// nodes[s].base + symbol, valid when that slot's check is s; fail and out are the usual failure
// link and the nearest state (itself or along fail links) that ends a key, -1 when none.
type node struct {
	base  int32
	check int32
	fail  int32
	out   int32
	key   int32 // key ending exactly here, -1 when none
	depth int32
}

// automaton matches keys (sequences of symbols ≥ firstSymbol) over a symbol stream.
type automaton struct {
	nodes []node
	root  []int32 // dense goto of the root by symbol: most text is matched from the root
}

// trieNode is the build-time trie; children are kept sorted by symbol.
type trieNode struct {
	syms  []uint16
	kids  []int32
	key   int32
	depth int32
}

func (t *trieNode) child(sym uint16) int32 {
	i := sort.Search(len(t.syms), func(i int) bool { return t.syms[i] >= sym })
	if i < len(t.syms) && t.syms[i] == sym {
		return t.kids[i]
	}
	return -1
}

// buildAutomaton compiles keys (each a symbol sequence) into a double-array automaton; key i ends
// at the state whose key field is i. nsym is one more than the largest symbol.
func buildAutomaton(keys [][]uint16, nsym int) *automaton {
	trie := []trieNode{{key: -1}}
	for k, syms := range keys {
		s := int32(0)
		for _, c := range syms {
			next := trie[s].child(c)
			if next < 0 {
				next = int32(len(trie))
				trie = append(trie, trieNode{key: -1, depth: trie[s].depth + 1})
				t := &trie[s]
				i := sort.Search(len(t.syms), func(i int) bool { return t.syms[i] >= c })
				t.syms = append(t.syms, 0)
				t.kids = append(t.kids, 0)
				copy(t.syms[i+1:], t.syms[i:])
				copy(t.kids[i+1:], t.kids[i:])
				t.syms[i], t.kids[i] = c, next
			}
			s = next
		}
		trie[s].key = int32(k)
	}

	// Breadth-first order: fail links point to shallower states, which are then already done.
	order := make([]int32, 0, len(trie))
	order = append(order, 0)
	for i := 0; i < len(order); i++ {
		order = append(order, trie[order[i]].kids...)
	}
	fail := make([]int32, len(trie))
	for _, u := range order {
		for i, c := range trie[u].syms {
			v := trie[u].kids[i]
			if u == 0 {
				fail[v] = 0
				continue
			}
			f := fail[u]
			for {
				if w := trie[f].child(c); w >= 0 {
					fail[v] = w
					break
				}
				if f == 0 {
					fail[v] = 0
					break
				}
				f = fail[f]
			}
		}
	}

	// Place states in the double array: trie state u gets slot pos[u].
	pos := make([]int32, len(trie))
	bases := make([]int32, len(trie))
	used := []bool{true} // slot 0 is the root
	firstFree := 1
	grow := func(n int) {
		for len(used) <= n {
			used = append(used, false)
		}
	}
	for _, u := range order {
		t := &trie[u]
		if len(t.syms) == 0 {
			continue
		}
		for firstFree < len(used) && used[firstFree] {
			firstFree++
		}
		lo := int(t.syms[0])
		p := max(firstFree, lo+1)
	search:
		for ; ; p++ {
			b := p - lo
			grow(b + int(t.syms[len(t.syms)-1]))
			for _, c := range t.syms {
				if used[b+int(c)] {
					continue search
				}
			}
			break
		}
		b := p - lo
		bases[u] = int32(b)
		for i, c := range t.syms {
			used[b+int(c)] = true
			pos[t.kids[i]] = int32(b + int(c))
		}
	}

	a := &automaton{nodes: make([]node, len(used)), root: make([]int32, nsym)}
	for i := range a.nodes {
		a.nodes[i] = node{check: -1, fail: 0, out: -1, key: -1}
	}
	for _, u := range order {
		n := &a.nodes[pos[u]]
		n.base = bases[u]
		n.key = trie[u].key
		n.depth = trie[u].depth
		n.fail = pos[fail[u]]
	}
	for _, u := range order {
		for i, c := range trie[u].syms {
			a.nodes[pos[trie[u].kids[i]]].check = pos[u]
			if u == 0 {
				a.root[c] = pos[trie[u].kids[i]]
			}
		}
	}
	for _, u := range order {
		s := pos[u]
		n := &a.nodes[s]
		switch {
		case n.key >= 0:
			n.out = s
		case u != 0:
			n.out = a.nodes[n.fail].out
		}
	}
	return a
}

// next is the goto-with-failure step from state s on symbol c.
func (a *automaton) next(s int32, c uint16) int32 {
	nodes := a.nodes
	for s != 0 {
		t := nodes[s].base + int32(c)
		if uint32(t) < uint32(len(nodes)) && nodes[t].check == s {
			return t
		}
		s = nodes[s].fail
	}
	return a.root[c]
}

// sizeBytes is the memory held by the automaton's tables.
func (a *automaton) sizeBytes() int {
	return len(a.nodes)*24 + len(a.root)*4
}
