package speech

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReport(t *testing.T) {
	c := defaultCheck(t)
	text := "客户：你好\n窗口：这个 不 可能，您稍等一会儿。"
	hits := mustCheck(t, c, text)
	var buf bytes.Buffer
	if err := Report(&buf, hits, text); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"第2行第7列 “不 可能”  否定式 · 一般", "第2行第15列 “一会儿”  模糊时间 · 一般", "建议：", "共发现 2 处服务禁语（严重 0，一般 2，轻微 0）"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	buf.Reset()
	if err := Report(&buf, nil, "您好"); err != nil || !strings.Contains(buf.String(), "未发现") {
		t.Errorf("clean report %q %v", buf.String(), err)
	}
}

func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := RunCheckSpeech(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestCheckSpeechCommand(t *testing.T) {
	dir := t.TempDir()
	dirty := filepath.Join(dir, "dirty.txt")
	clean := filepath.Join(dir, "clean.txt")
	bad := filepath.Join(dir, "bad.txt")
	empty := filepath.Join(dir, "empty.txt")
	os.WriteFile(dirty, []byte("群众：我不知道\n窗口：我不知道，你问别人去。"), 0o644)
	os.WriteFile(clean, []byte("您好，请问您办理什么业务？"), 0o644)
	os.WriteFile(bad, []byte("你好\xff"), 0o644)
	os.WriteFile(empty, nil, 0o644)

	code, out, _ := runCLI(t, "", "--json", dirty)
	if code != ExitHits {
		t.Fatalf("dirty --json: exit %d", code)
	}
	var hits []map[string]any
	if err := json.Unmarshal([]byte(out), &hits); err != nil || len(hits) != 2 {
		t.Fatalf("json %q: %v", out, err)
	}
	for _, field := range []string{"line", "start", "end", "text", "category", "severity", "suggestion"} {
		if _, ok := hits[0][field]; !ok {
			t.Errorf("hit lacks field %s: %v", field, hits[0])
		}
	}
	if hits[0]["line"] != 2.0 || hits[0]["start"] != 11.0 || hits[0]["end"] != 15.0 || hits[0]["text"] != "我不知道" {
		t.Errorf("first hit %v", hits[0])
	}

	if code, out, _ := runCLI(t, "", clean, "--json"); code != ExitClean || strings.TrimSpace(out) != "[]" {
		t.Errorf("clean --json (flag after file): exit %d, %q", code, out)
	}
	if code, out, _ := runCLI(t, "这事不归我管", "-"); code != ExitHits || !strings.Contains(out, "推诿") {
		t.Errorf("stdin: exit %d, %q", code, out)
	}
	if code, _, _ := runCLI(t, "客户：不行", "--plain", "-"); code != ExitHits {
		t.Errorf("--plain: exit %d", code)
	}
	for name, args := range map[string][]string{
		"invalid UTF-8":  {bad},
		"empty file":     {empty},
		"missing file":   {filepath.Join(dir, "nope.txt")},
		"no file":        {},
		"two files":      {clean, dirty},
		"unknown flag":   {"--xml", clean},
		"bad rules file": {"--rules", bad, clean},
	} {
		code, _, errOut := runCLI(t, "", args...)
		if code != ExitError || !strings.Contains(errOut, "check-speech:") {
			t.Errorf("%s: exit %d, stderr %q", name, code, errOut)
		}
	}

	rules := filepath.Join(dir, "rules.json")
	os.WriteFile(rules, []byte(`{"version":1,"rules":[{"id":"r","category":"jargon","words":["您好"],"severity":1,"suggestion":"x"}],"scenarios":[]}`), 0o644)
	if code, _, _ := runCLI(t, "", "--rules="+rules, clean); code != ExitHits {
		t.Errorf("--rules: exit %d", code)
	}
	if code, out, _ := runCLI(t, "", "--help"); code != ExitClean || !strings.Contains(out, "usage") {
		t.Errorf("--help: exit %d", code)
	}
}
