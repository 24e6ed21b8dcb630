package privacy

import "strings"

// MaskPhone shows a contact phone the way Chinese services print one: the first three and the
// last four digits of a mobile number (138****5678), the last two of a shorter one; "" stays "".
func MaskPhone(p string) string {
	var d []rune
	for _, c := range p {
		if isDigit(c) {
			d = append(d, digitValue(c))
		}
	}
	switch {
	case len(d) == 0:
		return ""
	case len(d) >= 11:
		return string(d[:3]) + strings.Repeat("*", len(d)-7) + string(d[len(d)-4:])
	case len(d) > 4:
		return strings.Repeat("*", len(d)-2) + string(d[len(d)-2:])
	}
	return strings.Repeat("*", len(d))
}

// MaskName keeps the first character of a person's name (the surname) and stars the rest:
// 张三丰 → 张**, a single character → *.
func MaskName(n string) string {
	r := []rune(strings.TrimSpace(n))
	switch len(r) {
	case 0:
		return ""
	case 1:
		return "*"
	}
	return string(r[0]) + strings.Repeat("*", len(r)-1)
}
