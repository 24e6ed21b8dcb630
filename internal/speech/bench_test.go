package speech

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	ahocorasick "github.com/petar-dambovaliev/aho-corasick"
)

// Benchmarks run on ≥100 MB of generated transcript text, built only when a benchmark runs so that
// `go test` stays fast. Run them on one core:
//
//	go test -run '^$' -bench . -benchmem -cpu 1 ./internal/speech/
const (
	benchTextBytes  = 100 << 20
	naiveTextBytes  = 8 << 20 // the naive scan is too slow for 100 MB with 2,000 rules
	syntheticRules  = 2000
	benchRandSeed1  = 20240601
	benchRandSeed2  = 7
	citizenLineRate = 0.2
)

var (
	benchOnce  sync.Once
	benchText  string
	rules2000  RuleSet
	benchError error
)

func setupBench(b *testing.B) {
	b.Helper()
	benchOnce.Do(func() {
		data, err := os.ReadFile("testdata/labelled.tsv")
		if err != nil {
			benchError = err
			return
		}
		var sentences []string
		for _, l := range strings.Split(string(data), "\n") {
			if _, text, ok := strings.Cut(l, "\t"); ok && !strings.HasPrefix(l, "#") {
				sentences = append(sentences, text)
			}
		}
		segmenter() // loaded once per process: not part of what Compile or Check cost
		benchText = generateText(sentences, benchTextBytes)
		rules2000 = generateRules(sentences, syntheticRules)
	})
	if benchError != nil {
		b.Fatal(benchError)
	}
}

// generateText writes transcript lines of one to three labelled sentences (Simplified and
// Traditional, clean and with forbidden phrases); a fifth of the lines are the citizen's.
func generateText(sentences []string, size int) string {
	rng := rand.New(rand.NewPCG(benchRandSeed1, benchRandSeed2))
	var b strings.Builder
	b.Grow(size + 1024)
	for b.Len() < size {
		switch r := rng.Float64(); {
		case r < citizenLineRate:
			b.WriteString("客户：")
		case r < 0.8:
			b.WriteString("窗口：")
		}
		for n := 1 + rng.IntN(3); n > 0; n-- {
			b.WriteString(sentences[rng.IntN(len(sentences))])
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// generateRules returns the default rules plus synthetic ones up to n: words of two to five
// characters drawn from the characters of real sentences, one in ten with an exception, so the
// automaton's alphabet and size grow as they would with a large local library.
func generateRules(sentences []string, n int) RuleSet {
	rs := Default()
	seen := map[string]bool{}
	for _, r := range rs.Rules {
		for _, w := range r.Words {
			k, _ := patternKey(w)
			seen[k] = true
		}
	}
	var pool []rune
	inPool := map[rune]bool{}
	for _, s := range sentences {
		for _, r := range s {
			if r >= 0x4E00 && r <= 0x9FFF && !inPool[fold(r)] {
				inPool[fold(r)] = true
				pool = append(pool, fold(r))
			}
		}
	}
	rng := rand.New(rand.NewPCG(benchRandSeed2, benchRandSeed1))
	word := func() string {
		rs := make([]rune, 2+rng.IntN(4))
		for i := range rs {
			rs[i] = pool[rng.IntN(len(pool))]
		}
		return string(rs)
	}
	cats := Categories()
	for i := 0; len(rs.Rules) < n; i++ {
		r := Rule{ID: fmt.Sprintf("syn-%04d", i), Category: cats[i%len(cats)], Severity: Severity(1 + i%3), Suggestion: "请使用规范用语。"}
		for w := 0; w < 1+i%2; w++ {
			if s := word(); !seen[s] {
				seen[s] = true
				r.Words = append(r.Words, s)
			}
		}
		if len(r.Words) == 0 {
			continue
		}
		if i%10 == 0 {
			r.Exceptions = []string{r.Words[0] + string(pool[rng.IntN(len(pool))])}
		}
		rs.Rules = append(rs.Rules, r)
	}
	return rs
}

// heapBytes measures the live heap a build function leaves behind.
func heapBytes(build func() any) (any, uint64) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	v := build()
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(v)
	if after.HeapAlloc < before.HeapAlloc {
		return v, 0
	}
	return v, after.HeapAlloc - before.HeapAlloc
}

// normaliseText is the folding the baselines get for free from us: each rune folded
// (full-width, case, Traditional), spaces and punctuation dropped, sentence ends and line
// breaks kept as '\n' so that no phrase is stitched across them.
func normaliseText(text string, buf []byte) []byte {
	buf = buf[:0]
	for _, r := range text {
		f, kind := r, uint8(0)
		if r < 0x10000 {
			f, kind = foldTable[r], kindTable[r]
		} else {
			f = fold(r)
			kind = kindOf(f)
		}
		switch kind {
		case clsSoft:
			continue
		case clsHard, clsNewline:
			buf = append(buf, '\n')
			continue
		}
		buf = utf8.AppendRune(buf, f)
	}
	return buf
}

func foldedKeys(rs RuleSet) []string {
	var keys []string
	seen := map[string]bool{}
	for _, r := range rs.Rules {
		for _, w := range append(append([]string{}, r.Words...), r.Exceptions...) {
			if k, _ := patternKey(w); !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	return keys
}

func BenchmarkCheck(b *testing.B) {
	setupBench(b)
	sets := []struct {
		name string
		rs   RuleSet
	}{{"default", Default()}, {"rules2000", rules2000}}

	for _, set := range sets {
		b.Run(set.name, func(b *testing.B) {
			v, heap := heapBytes(func() any { c, _ := Compile(set.rs); return c })
			c := v.(*Checker)
			b.SetBytes(int64(len(benchText)))
			hits := 0
			cpu0 := cpuTime()
			for b.Loop() {
				h, err := c.Check(benchText)
				if err != nil {
					b.Fatal(err)
				}
				hits = len(h)
			}
			// Throughput per CPU second: steadier than MB/s when other work shares the cores.
			if cpu := cpuTime() - cpu0; cpu > 0 {
				b.ReportMetric(float64(b.N)*float64(len(benchText))/1e6/cpu.Seconds(), "MB/cpu-s")
			}
			// Reported after the loop: ResetTimer and b.Loop drop metrics reported before.
			b.ReportMetric(float64(hits), "hits")
			b.ReportMetric(float64(heap), "compiled-heap-B")
			b.ReportMetric(float64(c.SizeBytes()), "table-B")
			b.ReportMetric(float64(DictionaryBytes()), "dict-B")
		})
	}

	// Naive: normalise once, then look for every rule word and exception on its own.
	for _, set := range sets {
		b.Run("naive-"+set.name, func(b *testing.B) {
			text := benchText[:naiveTextBytes]
			text = text[:strings.LastIndexByte(text, '\n')+1]
			keys := foldedKeys(set.rs)
			b.SetBytes(int64(len(text)))
			var buf []byte
			matches := 0
			for b.Loop() {
				buf = normaliseText(text, buf)
				norm := string(buf)
				matches = 0
				for _, k := range keys {
					for off := 0; ; {
						i := strings.Index(norm[off:], k)
						if i < 0 {
							break
						}
						matches++
						off += i + len(k)
					}
				}
			}
			b.ReportMetric(float64(matches), "matches")
		})
	}

	// A published Aho-Corasick library (byte DFA, leftmost-longest) over the same folded text.
	for _, set := range sets {
		b.Run("ahocorasick-lib-"+set.name, func(b *testing.B) {
			keys := foldedKeys(set.rs)
			v, heap := heapBytes(func() any {
				builder := ahocorasick.NewAhoCorasickBuilder(ahocorasick.Opts{MatchKind: ahocorasick.LeftMostLongestMatch, DFA: true})
				ac := builder.Build(keys)
				return &ac
			})
			ac := v.(*ahocorasick.AhoCorasick)
			b.SetBytes(int64(len(benchText)))
			var buf []byte
			matches := 0
			for b.Loop() {
				buf = normaliseText(benchText, buf)
				matches = len(ac.FindAll(string(buf)))
			}
			b.ReportMetric(float64(matches), "matches")
			b.ReportMetric(float64(heap), "compiled-heap-B")
		})
	}
	// The same library on the raw text, without folding: its own speed, blind to Traditional
	// text, full-width forms, inserted spaces and speaker labels.
	b.Run("ahocorasick-lib-raw-default", func(b *testing.B) {
		builder := ahocorasick.NewAhoCorasickBuilder(ahocorasick.Opts{MatchKind: ahocorasick.LeftMostLongestMatch, DFA: true})
		ac := builder.Build(foldedKeys(Default()))
		b.SetBytes(int64(len(benchText)))
		matches := 0
		for b.Loop() {
			matches = len(ac.FindAll(benchText))
		}
		b.ReportMetric(float64(matches), "matches")
	})
}

func BenchmarkCompile(b *testing.B) {
	setupBench(b)
	for _, set := range []struct {
		name string
		rs   RuleSet
	}{{"default", Default()}, {"rules2000", rules2000}} {
		b.Run(set.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := Compile(set.rs); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLoadDictionary is the one-time cost of the word dictionary (jieba's, 352,000 words),
// paid by the first Compile of a process.
func BenchmarkLoadDictionary(b *testing.B) {
	initFold()
	var d *dictionary
	cpu0 := cpuTime()
	for b.Loop() {
		var err error
		if d, err = loadDictionary(dictZH); err != nil {
			b.Fatal(err)
		}
	}
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
	}
	_, heap := heapBytes(func() any { d, _ := loadDictionary(dictZH); return d })
	b.ReportMetric(float64(heap), "heap-B")
	b.ReportMetric(float64(d.sizeBytes()), "table-B")
	b.ReportMetric(float64(d.words), "words")
}
