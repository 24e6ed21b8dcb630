package appointments_test

import (
	"context"

	"github.com/qhall/qhall/internal/demo"
	"github.com/qhall/qhall/internal/store"
)

func demoLoad(db *store.DB) (bool, error) {
	return demo.Load(context.Background(), db, "pw-for-tests", t10)
}
