// Package speech is the service language library (服务用语) of qhall: forbidden phrases
// (服务禁语) in ten categories with what to say instead, standard phrases (规范用语) per service
// scenario, and a fast checker that finds forbidden phrases in counter transcripts, written
// replies and exam answers, in Simplified and Traditional Chinese alike.
//
// # Rule set file
//
// A RuleSet is stored, imported and exported as JSON:
//
//	{
//	  "version": 1,
//	  "rules": [
//	    {"id": "overpromise-02", "category": "overpromise", "words": ["保证"], "severity": 2,
//	     "suggestion": "说“我们会尽力，预计……”。", "exceptions": ["保证金", "保证书"],
//	     "not_after": ["不能", "无法"]},
//	    {"id": "buck-passing-02", "category": "buck_passing", "words": ["不归我管"],
//	     "patterns": ["不归…管"], "severity": 3, "suggestion": "说“我帮您问一下负责的部门”。"}
//	  ],
//	  "scenarios": [
//	    {"code": "greeting_morning", "name": "问候（上午）", "step": "call",
//	     "time_of_day": "morning", "phrases": ["早上好！请问您办理什么业务？"]}
//	  ]
//	}
//
// category is one of uncivil, vague, jargon, aggressive, imperative, negative, buck_passing,
// colloquial, overpromise, vague_time (the Chinese names are accepted on import); severity is 1
// (low), 2 (medium) or 3 (high). words are spellings of one expression; Traditional spellings need
// not be listed. exceptions are longer expressions containing a word that are fine.
//
// Newer optional fields (a file without them reads as before): patterns are spellings with
// structure: "(你|您)" is one of the alternatives (a word class), "(实在)?" or an empty
// alternative "(我|)" is optional, "…" (or "...") is a gap of up to three words and eight
// characters within the sentence, so "不归…管" matches 不归我们窗口管; order variants are patterns
// of their own ("做不了…主", "主…做不了"). match is "word" (default) or "substring"; not_after lists
// words that, shortly before a hit in the same clause, drop it ("您对政策不清楚" is about the
// citizen, "不能保证" refuses to promise); not_in_question drops hits in a sentence ending with a
// question mark. Validation checks the pattern syntax and reports every problem of the file. step ties a
// scenario to a counter step (call, serve, missing_material, transfer, pause, phone, complaint,
// finish) and time_of_day (morning, afternoon, evening) picks greetings. ParseRuleSet rejects
// unknown fields and lists every problem at once. Default returns the built-in set, written from
// the service-hall training material.
//
// # Matching
//
// Compile folds every word and every spelling of a pattern (full-width to half-width, lower case,
// Traditional to Simplified with OpenCC's character table, see gen_tstable.go) and builds one
// double-array Aho-Corasick automaton over the folded characters; a 64K-entry class table maps
// each text rune straight to its automaton symbol, so Traditional handling costs nothing per
// character. The parts of a pattern with gaps are keys of the same automaton, joined when the
// last part is found.
//
// Words, not strings: a candidate hit is kept only if it begins and ends on a word boundary of
// the text (each part of a gap pattern too), so "工单" does not fire in "施工单位" nor "绝对" in
// "绝对零度". The text around the candidate, six characters either side, is cut into words with
// jieba's algorithm and dictionary (segment.go, dict_zh.gz from the gse module); the dictionary
// (352,000 words, about 19 MB in memory) is loaded once per process, on the first Compile. See
// Checker.Check for what counts as a hit and how speaker labels are read.
package speech
