package org_test

import (
	"context"
	"testing"
	"time"

	"github.com/qhall/qhall/internal/audit"
	"github.com/qhall/qhall/internal/org"
	"github.com/qhall/qhall/internal/store"
	"github.com/qhall/qhall/internal/storetest"
)

// The catalogue's writes on each engine: what they store is what the guide reads, a refused
// write leaves nothing behind, and each writes its audit line in the same transaction.
func TestCatalogueWritesAndGuide(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for _, eng := range storetest.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			db := storetest.OpenDemo(t, eng, "demo-pass-for-tests", at)
			admin := storetest.Actor(t, db, "admin")
			auditCount := func() int {
				es, err := audit.List(ctx, db, 0, 1000)
				if err != nil {
					t.Fatal(err)
				}
				return len(es)
			}
			svc := org.Service{HallID: 2, Name: "出入境证件", Prefix: "X", Kind: "handle", TimeLimitDays: 7, Fees: "按规定收费",
				LegalBasis: "《中华人民共和国出境入境管理法》", Materials: []org.Material{
					{Name: "居民身份证", Original: true, Copies: 1, Issuer: "公安机关"},
					{Name: "近期免冠照片", Copies: 2, RequiredWhen: "现场未采集时", Issuer: "照相馆"}}}
			var id int64
			if err := db.InTx(ctx, func(tx *store.Tx) (err error) { id, err = org.CreateService(ctx, tx, admin, at, svc); return err }); err != nil {
				t.Fatal(err)
			}
			g, err := org.GetGuide(ctx, db, id)
			if err != nil {
				t.Fatal(err)
			}
			if g.Service.Fees != "按规定收费" || len(g.Service.Materials) != 2 || g.Service.Materials[1].Issuer != "照相馆" ||
				g.Service.Materials[1].Original || g.Service.Materials[1].Copies != 2 || g.Hall.ID != 2 || g.Hall.Address == "" {
				t.Fatalf("guide %+v %+v", g.Service, g.Hall)
			}

			// A refused update (its second material has no name) changes nothing and audits nothing.
			n := auditCount()
			bad := svc
			bad.ID, bad.Name = id, "改名"
			bad.Materials = []org.Material{{Name: "新材料", Copies: 1}, {Name: "", Copies: 1}}
			if err := db.InTx(ctx, func(tx *store.Tx) error { return org.UpdateService(ctx, tx, admin, at, bad) }); err == nil {
				t.Fatal("a material without a name was accepted")
			}
			if g2, _ := org.GetGuide(ctx, db, id); g2.Service.Name != "出入境证件" || len(g2.Service.Materials) != 2 || auditCount() != n {
				t.Errorf("a refused update left %+v, audit %d → %d", g2.Service, n, auditCount())
			}
			// A write that fails after its audit line rolls both back.
			_ = db.InTx(ctx, func(tx *store.Tx) error {
				if err := org.SetServiceActive(ctx, tx, admin, at, 2, id, false); err != nil {
					return err
				}
				return context.Canceled
			})
			if g3, _ := org.GetGuide(ctx, db, id); !g3.Service.Active || auditCount() != n {
				t.Error("a rolled-back retirement stayed")
			}
			// Retired: out of Services, still in AllServices and the guide.
			if err := db.InTx(ctx, func(tx *store.Tx) error { return org.SetServiceActive(ctx, tx, admin, at, 2, id, false) }); err != nil {
				t.Fatal(err)
			}
			active, _ := org.Services(ctx, db, 2)
			all, _ := org.AllServices(ctx, db, 2)
			if len(all) != len(active)+1 || auditCount() != n+1 {
				t.Errorf("%d active, %d in all, audit %d", len(active), len(all), auditCount()-n)
			}
			if g4, err := org.GetGuide(ctx, db, id); err != nil || g4.Service.Active {
				t.Errorf("retired guide %v %v", g4, err)
			}
			// The finder refuses a retired service.
			err = db.InTx(ctx, func(tx *store.Tx) error {
				return org.SetFinder(ctx, tx, admin, at, 2, []*org.FinderNode{{Label: "出国", Service: id}})
			})
			if err == nil {
				t.Error("the finder accepted a retired service")
			}
			if tree, _ := org.Finder(ctx, db, 2); len(tree) != 5 {
				t.Errorf("the demo tree was touched: %d answers", len(tree))
			}
		})
	}
}
