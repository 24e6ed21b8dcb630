package hallscreen

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestComposeJoinsProvidersInOrder(t *testing.T) {
	c := &Composer{Providers: []Provider{
		{"queue", func(ctx context.Context, hall int64) (any, error) {
			return struct {
				Hall    int64 `json:"hall"`
				Waiting int   `json:"waiting"`
			}{hall, 3}, nil
		}},
		{"banners", func(ctx context.Context, hall int64) (any, error) {
			return map[string]any{"banners": []string{"fire drill"}}, nil
		}},
	}}
	b, err := c.Load(context.Background(), 7)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"hall":7,"waiting":3,"banners":["fire drill"]}`; got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
}

func TestComposeRefusesSharedKeysAndPassesErrors(t *testing.T) {
	p := Provider{"a", func(ctx context.Context, hall int64) (any, error) { return map[string]int{"x": 1}, nil }}
	q := Provider{"b", func(ctx context.Context, hall int64) (any, error) { return map[string]int{"x": 2}, nil }}
	if _, err := (&Composer{Providers: []Provider{p, q}}).Load(context.Background(), 1); err == nil || !strings.Contains(err.Error(), `"x"`) {
		t.Fatalf("shared key: %v", err)
	}
	boom := errors.New("boom")
	bad := Provider{"bad", func(ctx context.Context, hall int64) (any, error) { return nil, boom }}
	if _, err := (&Composer{Providers: []Provider{p, bad}}).Load(context.Background(), 1); !errors.Is(err, boom) {
		t.Fatalf("error: %v", err)
	}
	arr := Provider{"arr", func(ctx context.Context, hall int64) (any, error) { return []int{1}, nil }}
	if _, err := (&Composer{Providers: []Provider{p, arr}}).Load(context.Background(), 1); err == nil {
		t.Fatal("a provider that is not an object was accepted")
	}
}
