// Package hallscreen composes what a hall's live screens show (the display board, the counters'
// waiting counts, the supervisor's view) from providers: the queue today; emergency banners and
// rating prompts as those domains arrive. It only reads, and owns no table.
package hallscreen

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
)

// Provider adds its part to a hall's screen state: a value that encodes as a JSON object whose
// keys join the state's top level. Providers must not share a key.
type Provider struct {
	Name string
	Read func(ctx context.Context, hall int64) (any, error)
}

// Composer reads every provider's part and joins them into one JSON object.
type Composer struct {
	Providers []Provider
}

// Load is the hall's state, ready to send (an events.Loader).
func (c *Composer) Load(ctx context.Context, hall int64) ([]byte, error) {
	if len(c.Providers) == 1 { // the common case needs no merging
		return c.read(ctx, c.Providers[0], hall)
	}
	var buf bytes.Buffer
	buf.WriteByte('{')
	seen := map[string]string{}
	for _, p := range c.Providers {
		b, err := c.read(ctx, p, hall)
		if err != nil {
			return nil, err
		}
		var part map[string]json.RawMessage
		if err := json.Unmarshal(b, &part); err != nil {
			return nil, fmt.Errorf("hallscreen: %s: not an object: %w", p.Name, err)
		}
		// Keep the provider's own key order: decode the keys in order from the bytes.
		keys, err := objectKeys(b)
		if err != nil {
			return nil, fmt.Errorf("hallscreen: %s: %w", p.Name, err)
		}
		for _, k := range keys {
			if other, dup := seen[k]; dup {
				return nil, fmt.Errorf("hallscreen: key %q from both %s and %s", k, other, p.Name)
			}
			seen[k] = p.Name
			if buf.Len() > 1 {
				buf.WriteByte(',')
			}
			kb, _ := json.Marshal(k)
			buf.Write(kb)
			buf.WriteByte(':')
			buf.Write(part[k])
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

func (c *Composer) read(ctx context.Context, p Provider, hall int64) ([]byte, error) {
	v, err := p.Read(ctx, hall)
	if err != nil {
		return nil, fmt.Errorf("hallscreen: %s: %w", p.Name, err)
	}
	return json.Marshal(v)
}

func objectKeys(b []byte) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	var keys []string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		keys = append(keys, t.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, err
		}
	}
	return keys, nil
}
