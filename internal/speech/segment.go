package speech

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"math"
	"strconv"
	"sync"
)

// Word segmentation, after jieba: the text is cut where the product of the dictionary
// probabilities of its words is largest (jieba's DAG and route, without its HMM for unknown words:
// a rule word is always a known word, and what matters here is whether a known longer word swallows
// it). The dictionary is jieba's, taken from the github.com/go-ego/gse module (gen_dict.go).
//
// gse itself is not linked: its segmenter holds 135 MB of heap after a 1.1 s load and cuts
// 17 MB/s, while the checker needs a cut only around candidate hits, a few characters either side.
// This table holds the same words and their prefixes in one open-addressing hash (18.4 MB, loaded
// once, lazily, in about 160 ms of CPU), and cuts a window of ~20 characters in about a
// microsecond. Without the HMM the cut differs from gse's default where gse joins unknown runs of
// single characters ("再来" for 再|来); that never splits a known word. See docs/BENCHMARKS.md.

// maxDictRunes bounds the dictionary words kept: longer ones (idioms, names of institutions) never
// decide a boundary within the window the checker cuts.
const maxDictRunes = 12

type dictEntry struct {
	hash uint32
	off  uint32 // into dictionary.runes
	n    uint8
	word bool // false: only a prefix of longer words
	logp float32
}

type dictionary struct {
	runes   []uint16
	entries []dictEntry
	slots   []uint32 // index+1 into entries, 0 empty
	mask    uint32
	unknown float32 // log probability of a character not in the dictionary (frequency 1)
	words   int
}

var (
	dictOnce sync.Once
	theDict  *dictionary
)

// segmenter returns the dictionary, loading it on first use.
func segmenter() *dictionary {
	dictOnce.Do(func() {
		initFold()
		d, err := loadDictionary(dictZH)
		if err != nil {
			panic("speech: embedded dictionary: " + err.Error())
		}
		theDict = d
	})
	return theDict
}

const fnvPrime = 16777619

func loadDictionary(gz []byte) (*dictionary, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	type word struct {
		runes []uint16
		freq  float64
	}
	var words []word
	var total float64
	nrunes := 0
	sc := bufio.NewScanner(zr)
	buf := make([]uint16, 0, maxDictRunes)
scan:
	for sc.Scan() {
		line := sc.Bytes()
		sp := bytes.LastIndexByte(line, ' ')
		if sp <= 0 || line[0] == '#' {
			continue
		}
		f, err := strconv.ParseFloat(string(line[sp+1:]), 64)
		if err != nil {
			continue
		}
		buf = buf[:0]
		for _, r := range string(line[:sp]) {
			r = fold(r)
			if r >= 0x10000 || len(buf) == maxDictRunes {
				continue scan
			}
			buf = append(buf, uint16(r))
		}
		total += f
		words = append(words, word{append([]uint16(nil), buf...), f})
		nrunes += len(buf)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	d := &dictionary{runes: make([]uint16, 0, nrunes)}
	size := 1
	for size < 3*len(words) {
		size <<= 1
	}
	d.slots = make([]uint32, size)
	d.mask = uint32(size - 1)
	logTotal := math.Log(total)
	d.unknown = float32(-logTotal)
	for _, w := range words {
		off := uint32(len(d.runes))
		d.runes = append(d.runes, w.runes...)
		h := uint32(2166136261)
		for i, r := range w.runes {
			h = (h ^ uint32(r)) * fnvPrime
			s := d.runes[off : off+uint32(i)+1]
			e := d.find(h, s)
			if e < 0 {
				if len(d.entries) >= size*3/4 {
					size <<= 1
					d.rehash(size)
				}
				e = int32(len(d.entries))
				d.entries = append(d.entries, dictEntry{hash: h, off: off, n: uint8(i + 1), logp: float32(math.Inf(-1))})
				d.insert(uint32(e))
			}
			if i == len(w.runes)-1 {
				ent := &d.entries[e]
				if !ent.word {
					d.words++
				}
				ent.word = true
				if w.freq > 0 {
					ent.logp = max(ent.logp, float32(math.Log(w.freq)-logTotal))
				} else {
					ent.logp = max(ent.logp, d.unknown)
				}
			}
		}
	}
	return d, nil
}

func (d *dictionary) insert(e uint32) {
	for i := d.entries[e].hash & d.mask; ; i = (i + 1) & d.mask {
		if d.slots[i] == 0 {
			d.slots[i] = e + 1
			return
		}
	}
}

func (d *dictionary) rehash(size int) {
	d.slots = make([]uint32, size)
	d.mask = uint32(size - 1)
	for e := range d.entries {
		d.insert(uint32(e))
	}
}

// find returns the entry of s (with hash h), or -1.
func (d *dictionary) find(h uint32, s []uint16) int32 {
	for i := h & d.mask; ; i = (i + 1) & d.mask {
		e := d.slots[i]
		if e == 0 {
			return -1
		}
		ent := &d.entries[e-1]
		if ent.hash == h && int(ent.n) == len(s) && equalU16(d.runes[ent.off:ent.off+uint32(ent.n)], s) {
			return int32(e - 1)
		}
	}
}

func equalU16(a, b []uint16) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// sizeBytes is the memory the dictionary holds.
func (d *dictionary) sizeBytes() int {
	return len(d.runes)*2 + len(d.entries)*16 + len(d.slots)*4
}

// cut segments s (folded characters, each below 0x10000) and sets bound[i] for every i in
// 0..len(s) at which a word begins or the text ends. route and next are scratch of len(s)+1.
func (d *dictionary) cut(s []uint16, bound []bool, route []float32, next []int32) {
	n := len(s)
	route[n] = 0
	for i := n - 1; i >= 0; i-- {
		best, bestJ := d.unknown+route[i+1], int32(i+1)
		h := uint32(2166136261)
		for j := i; j < n && j-i < maxDictRunes; j++ {
			h = (h ^ uint32(s[j])) * fnvPrime
			e := d.find(h, s[i:j+1])
			if e < 0 {
				break
			}
			if ent := &d.entries[e]; ent.word {
				// Ties go to the longer word, as in jieba.
				if score := ent.logp + route[j+1]; score > best || (score == best && j > i) {
					best, bestJ = score, int32(j+1)
				}
			}
		}
		route[i], next[i] = best, bestJ
	}
	for i := range bound[:n+1] {
		bound[i] = false
	}
	for i := int32(0); int(i) < n; i = next[i] {
		bound[i] = true
	}
	bound[n] = true
}

// Segment cuts text into words the way the checker sees it: characters folded, spaces and
// punctuation dropped. It is exported for tests and tools; the checker itself cuts only the few
// characters around a candidate hit.
func Segment(text string) []string {
	d := segmenter()
	var out []string
	var s []uint16
	var orig []rune
	flush := func() {
		if len(s) == 0 {
			return
		}
		bound := make([]bool, len(s)+1)
		d.cut(s, bound, make([]float32, len(s)+1), make([]int32, len(s)+1))
		start := 0
		for i := 1; i <= len(s); i++ {
			if bound[i] {
				out = append(out, string(orig[start:i]))
				start = i
			}
		}
		s, orig = s[:0], orig[:0]
	}
	for _, r := range text {
		f := fold(r)
		if kindOf(f) != clsOther || f >= 0x10000 {
			flush()
			if f >= 0x10000 && kindOf(f) == clsOther {
				out = append(out, string(r))
			}
			continue
		}
		s = append(s, uint16(f))
		orig = append(orig, r)
	}
	flush()
	return out
}
