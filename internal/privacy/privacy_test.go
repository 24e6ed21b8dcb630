package privacy

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMask(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		// ID numbers: 18 characters (last may be X), and the old 15 digits
		{"身份证号110101199003071234。", "身份证号110***********1234。"},
		{"身份证 11010119900307123X 已核对", "身份证 110***********123X 已核对"},
		{"11010119900307123x", "110***********123x"},
		{"110101900307123", "110********7123"},
		{"110101 19900307 1234", "110*** ******** 1234"},
		// mobiles
		{"客户：我的电话13812345678", "客户：我的电话138****5678"},
		{"138 1234 5678", "138 **** 5678"},
		{"138-1234-5678", "138-****-5678"},
		{"+86 13812345678", "+86 138****5678"},
		{"8613812345678", "86138****5678"},
		{"电话：１３８１２３４５６７８", "电话：１３８****５６７８"},
		// bank cards
		{"卡号6222021234567890", "卡号622*********7890"},
		{"6222 0212 3456 7890 123", "622* **** **** ***0 123"},
		{"6222021234567890123", "622************0123"},
		// two numbers in one group are looked at one by one
		{"13812345678 13912345678", "138****5678 139****5678"},
		{"窗口 3 13812345678", "窗口 3 138****5678"},
		// left alone: other lengths, other digits
		{"2026-11-24 10:30", "2026-11-24 10:30"},
		{"请 A012 号到 3 号窗口办理", "请 A012 号到 3 号窗口办理"},
		{"金额 1234567.89 元", "金额 1234567.89 元"},
		{"12812345678", "12812345678"},                     // not a mobile prefix
		{"123456789012345678901", "123456789012345678901"}, // 21 digits
		{"1234567890123", "1234567890123"},
		{"没有数字的句子。", "没有数字的句子。"},
		{"", ""},
	} {
		got := Mask(c.in)
		if got != c.want {
			t.Errorf("Mask(%q) = %q, want %q", c.in, got, c.want)
		}
		if utf8.RuneCountInString(got) != utf8.RuneCountInString(c.in) {
			t.Errorf("Mask(%q) changed the length in characters", c.in)
		}
		if again := Mask(got); again != got {
			t.Errorf("Mask is not idempotent on %q: %q", got, again)
		}
	}
}

// Rune offsets computed on the masked text hold in a long text with identifiers everywhere.
func TestMaskKeepsOffsets(t *testing.T) {
	in := strings.Repeat("窗口：您的手机13812345678和身份证110101199003071234都对。\n", 50)
	out := Mask(in)
	ri, ro := []rune(in), []rune(out)
	if len(ri) != len(ro) {
		t.Fatalf("length %d → %d", len(ri), len(ro))
	}
	for i := range ri {
		if ri[i] != ro[i] && ro[i] != '*' {
			t.Fatalf("character %d changed to %q", i, ro[i])
		}
	}
	if strings.Contains(out, "13812345678") || strings.Contains(out, "110101199003071234") {
		t.Fatal("an identifier survived")
	}
}

func TestMaskInvalidUTF8(t *testing.T) {
	in := "电话\xff13812345678"
	if got := Mask(in); !strings.Contains(got, "138****5678") {
		t.Fatalf("Mask(%q) = %q", in, got)
	}
}

func BenchmarkMaskClean(b *testing.B) {
	s := strings.Repeat("窗口：您好，请问您办理什么业务？\n", 200)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		Mask(s)
	}
}
