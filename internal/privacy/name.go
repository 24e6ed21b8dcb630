package privacy

// MaskName keeps a person's name's first character and hides the rest ("张三丰" → "张**"), as a
// hall's screens and staff lists show citizens.
func MaskName(name string) string {
	r := []rune(name)
	if len(r) <= 1 {
		return name
	}
	out := []rune{r[0]}
	for range r[1:] {
		out = append(out, '*')
	}
	return string(out)
}
