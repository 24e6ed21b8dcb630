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
//	     "suggestion": "说“我们会尽力，预计……”。", "exceptions": ["保证金", "保证书"]}
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
// not be listed. exceptions are longer expressions containing a word that are fine. step ties a
// scenario to a counter step (call, serve, missing_material, transfer, pause, phone, complaint,
// finish) and time_of_day (morning, afternoon, evening) picks greetings. ParseRuleSet rejects
// unknown fields and lists every problem at once. Default returns the built-in set, written from
// the service-hall training material.
//
// # Matching
//
// Compile folds every word (full-width to half-width, lower case, Traditional to Simplified with
// OpenCC's character table, see gen_tstable.go) and builds one double-array Aho-Corasick
// automaton over the folded characters; a 64K-entry class table maps each text rune straight to
// its automaton symbol, so Traditional handling costs nothing per character. See Checker.Check
// for what counts as a hit and how speaker labels are read.
package speech
