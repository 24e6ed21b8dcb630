package speech

import _ "embed"

//go:generate go run gen_dict.go

// dictZH is jieba's Simplified dictionary ("word frequency" lines, gzipped), see gen_dict.go.
//
//go:embed dict_zh.gz
var dictZH []byte
