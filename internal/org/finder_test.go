package org_test

import (
	"testing"

	"github.com/qhall/qhall/internal/org"
)

func tree() []*org.FinderNode {
	return []*org.FinderNode{
		{Label: "社会保险", Question: "您想办理社保的什么业务？", Children: []*org.FinderNode{
			{Label: "缴纳", Service: 1}, {Label: "转移", Service: 2}}},
		{Label: "住房公积金", Children: []*org.FinderNode{
			{Label: "取出公积金", Question: "为了？", Children: []*org.FinderNode{{Label: "买房", Service: 4}, {Label: "租房", Service: 4}}},
			{Label: "贷款", Service: 5}}},
		{Label: "投诉", Service: 9},
	}
}

func TestFinderWalk(t *testing.T) {
	roots := tree()
	cases := []struct {
		answers []int
		label   string
		service int64
		ok      bool
	}{
		{nil, "", 0, true},
		{[]int{0}, "社会保险", 0, true},
		{[]int{0, 1}, "转移", 2, true},
		{[]int{1, 0, 1}, "租房", 4, true},
		{[]int{2}, "投诉", 9, true},
		{[]int{3}, "", 0, false},    // no fourth answer
		{[]int{2, 0}, "", 0, false}, // a service asks nothing further
		{[]int{-1}, "", 0, false},   // nonsense
		{[]int{1, 0, 0, 0}, "", 0, false},
	}
	for _, c := range cases {
		n, ok := org.Walk(roots, c.answers)
		if ok != c.ok {
			t.Errorf("%v: ok %v", c.answers, ok)
			continue
		}
		if !ok {
			continue
		}
		if c.label == "" {
			if n != nil {
				t.Errorf("%v: %+v, want the start", c.answers, n)
			}
			continue
		}
		if n.Label != c.label || n.Service != c.service {
			t.Errorf("%v: %q → %d, want %q → %d", c.answers, n.Label, n.Service, c.label, c.service)
		}
	}
}

func TestValidateFinder(t *testing.T) {
	active := map[int64]bool{1: true, 2: true, 4: true, 5: true, 9: true}
	if err := org.ValidateFinder(tree(), active); err != nil {
		t.Fatal(err)
	}
	bad := map[string][]*org.FinderNode{
		"no label":            {{Label: " ", Service: 1}},
		"dead end":            {{Label: "x"}},
		"both":                {{Label: "x", Service: 1, Children: []*org.FinderNode{{Label: "y", Service: 2}}}},
		"retired service":     {{Label: "x", Service: 3}},
		"nested dead end":     {{Label: "x", Children: []*org.FinderNode{{Label: "y"}}}},
		"too deep":            {deep(org.FinderMaxDepth + 1)},
		"nil answer":          {nil},
		"label too long (61)": {{Label: string(make([]rune, 61)), Service: 1}},
	}
	for name, roots := range bad {
		if err := org.ValidateFinder(roots, active); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if err := org.ValidateFinder([]*org.FinderNode{deep(org.FinderMaxDepth)}, active); err != nil {
		t.Errorf("%d levels refused: %v", org.FinderMaxDepth, err)
	}
}

func deep(levels int) *org.FinderNode {
	n := &org.FinderNode{Label: "leaf", Service: 1}
	for i := 1; i < levels; i++ {
		n = &org.FinderNode{Label: "q", Question: "?", Children: []*org.FinderNode{n}}
	}
	return n
}

func TestPinyin(t *testing.T) {
	for text, want := range map[string][2]string{
		"社保缴纳":    {"sbjn", "shebaojiaona"},
		"公积金提取":   {"gjjtq", "gongjijintiqu"},
		"12345热线": {"12345rx", "12345rexian"},
		"":        {"", ""},
	} {
		i, f := org.Pinyin(text)
		if i != want[0] || f != want[1] {
			t.Errorf("Pinyin(%q) = %q, %q; want %q, %q", text, i, f, want[0], want[1])
		}
	}
}

func TestSearch(t *testing.T) {
	svcs := []*org.Service{
		{ID: 1, Name: "社保缴纳", Category: "社保", Keywords: "养老保险,医疗保险"},
		{ID: 2, Name: "社保转移", Category: "社保", Keywords: "跨省,调动"},
		{ID: 3, Name: "公积金提取", Category: "公积金", Keywords: "租房提取"},
		{ID: 4, Name: "税务申报", NameEN: "Tax filing", Category: "税务", Description: "个人所得税申报"},
	}
	ids := func(ss []*org.Service) (out []int64) {
		for _, s := range ss {
			out = append(out, s.ID)
		}
		return out
	}
	cases := map[string][]int64{
		"sbjn":      {1},       // initials
		"SBJN":      {1},       // any case
		"sb":        {1, 2, 4}, // initials starting so first, then inside them (税务申报)
		"shebao":    {1, 2},    // full pinyin
		"社保":        {1, 2},    // words of the name
		"gjj":       {3},       // initials
		"租房":        {3},       // a keyword
		"ylbx":      {1},       // a keyword's initials
		"调动":        {2},       // a keyword
		"所得税":       {4},       // the description
		"tax":       {4},       // the English name
		"jn":        {1},       // initials inside the name
		"nothing":   nil,       // no match
		"   ":       nil,       // nothing asked
		"缴纳 ":       {1},       // spaces trimmed
		"s b j n":   {1},       // spaces inside initials
		"公积金提取社保缴纳": nil,       // not a substring of anything
	}
	for q, want := range cases {
		got := ids(org.Search(svcs, q))
		if len(got) != len(want) {
			t.Errorf("Search(%q) = %v, want %v", q, got, want)
			continue
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("Search(%q) = %v, want %v", q, got, want)
			}
		}
	}
	// Initials of the name rank before a keyword's: the service listed first but matched only
	// by its keywords comes last.
	if got := ids(org.Search(append([]*org.Service{{ID: 9, Name: "办税", Keywords: "sb"}}, svcs...), "sb")); len(got) != 4 || got[0] != 1 || got[3] != 9 {
		t.Errorf("ranking: %v", got)
	}
}
