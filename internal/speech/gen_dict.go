//go:build ignore

// gen_dict writes dict_zh.gz, the word list the checker segments text with: jieba's Simplified
// dictionary as shipped in the github.com/go-ego/gse module (data/dict/zh/s_1.txt; gse is
// Apache-2.0, jieba's dictionary MIT), reduced to "word frequency" lines and gzipped. Only the
// data is taken: gse itself is not linked into qhall (see segment.go for why). Run with
// `go generate ./internal/speech/`.
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// The dictionary's source, pinned: fetched into the module cache by `go mod download`, so qhall's
// go.mod need not require a module it does not link.
const module, version = "github.com/go-ego/gse", "v0.80.3"

func main() {
	out, err := exec.Command("go", "mod", "download", "-json", module+"@"+version).Output()
	if err != nil {
		log.Fatalf("download %s@%s: %v", module, version, err)
	}
	var m struct{ Dir string }
	if err := json.Unmarshal(out, &m); err != nil || m.Dir == "" {
		log.Fatalf("download %s@%s: no folder in %s", module, version, out)
	}
	dir := m.Dir
	f, err := os.Open(filepath.Join(dir, "data", "dict", "zh", "s_1.txt"))
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	var raw bytes.Buffer
	fmt.Fprintf(&raw, "# jieba dictionary from %s %s data/dict/zh/s_1.txt: word frequency\n", module, version)
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		if _, err := strconv.ParseUint(fields[1], 10, 32); err != nil {
			continue
		}
		fmt.Fprintf(&raw, "%s %s\n", fields[0], fields[1])
		n++
	}
	if err := sc.Err(); err != nil {
		log.Fatal(err)
	}
	var gz bytes.Buffer
	w, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	w.Write(raw.Bytes())
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("dict_zh.gz", gz.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("dict_zh.gz: %d words, %d bytes", n, gz.Len())
}
