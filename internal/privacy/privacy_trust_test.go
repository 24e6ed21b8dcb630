package privacy

import "testing"

// Finding 8: phones written with dots, and in Chinese numerals as speech-to-text writes them.
func TestMaskDottedAndChineseNumerals(t *testing.T) {
	for in, want := range map[string]string{
		"电话138.1234.5678谢谢":     "电话138.****.5678谢谢",
		"138．1234．5678":         "138．****．5678",
		"手机一三八一二三四五六七八":         "手机一三八****五六七八",
		"幺三八幺二三四五六七八":           "幺三八****五六七八",
		"号码是一三八 一二三四 五六七八":      "号码是一三八 **** 五六七八",
		"一三八零零零零一一一一":           "一三八****一一一一",
		"身份证一一零一零五一九四九一二三一零零二X": "身份证一一零***********零零二X",
		"壹叁捌壹贰叁肆伍陆柒捌":           "壹叁捌****伍陆柒捌",
		// not identifiers: left alone
		"一二三四五":   "一二三四五",
		"二〇二四年三月": "二〇二四年三月",
		"第一三八号":   "第一三八号",
		"3.14":    "3.14",
		"v1.2.3":  "v1.2.3",
	} {
		if got := Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
		if got := Mask(Mask(in)); got != Mask(in) {
			t.Errorf("Mask is not idempotent on %q", in)
		}
	}
}
