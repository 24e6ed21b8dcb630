package privacy

import "testing"

func TestMaskContact(t *testing.T) {
	for in, want := range map[string]string{"13812345678": "138****5678", "138 1234 5678": "138****5678", "+86 138-1234-5678": "861******5678",
		"12345": "***45", "": "", "110": "***"} {
		if got := MaskPhone(in); got != want {
			t.Errorf("MaskPhone(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"张三丰": "张**", "李": "*", "": "", " 王五 ": "王*"} {
		if got := MaskName(in); got != want {
			t.Errorf("MaskName(%q) = %q, want %q", in, got, want)
		}
	}
}
