package web

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"time"

	"github.com/qhall/qhall/internal/authz"
	"github.com/qhall/qhall/internal/org"
)

// route is one line of the route table: the pattern, the permission a caller needs (checked
// before the handler runs; the handler or the domain then checks the hall or the record) and
// the handler. Pages that need staff send strangers to the sign-in page instead of a 401.
type route struct {
	Pattern string
	Perm    authz.Permission
	Page    bool
	Handler http.HandlerFunc
}

// routes is the whole HTTP surface of qhall, in one place, so a reader sees who may call what:
// each domain's list names every route's permission. docs/API.md lists the same table
// (TestAPIDocListsEveryRoute keeps the two equal).
func (s *Server) routes() []route {
	return slices.Concat(s.authRoutes(), s.hallRoutes(), s.counterRoutes(), s.speechRoutes(), s.pageRoutes(),
		s.casesRoutes(), s.backofficeRoutes(), s.hallFixRoutes(), s.appointmentRoutes(), s.ratingsRoutes(),
		s.forecastRoutes(), s.trustRoutes())
}

func (s *Server) authRoutes() []route {
	return []route{
		{"POST /api/v1/auth/login", authz.Public, false, s.login},
		{"POST /api/v1/auth/logout", authz.SignedIn, false, s.logout},
		{"GET /api/v1/me", authz.SignedIn, false, s.me},
	}
}

// hallRoutes: the hall, the kiosk, the citizen's ticket, the live screens.
func (s *Server) hallRoutes() []route {
	hall := func(read func(ctx context.Context, h *org.Hall) (any, error)) http.HandlerFunc {
		return s.hallRead(read)
	}
	return []route{
		{"GET /api/v1/halls", authz.Public, false, s.halls},
		{"GET /api/v1/halls/{hall}", authz.Public, false, hall(func(ctx context.Context, h *org.Hall) (any, error) { return h, nil })},
		{"GET /api/v1/halls/{hall}/services", authz.Public, false, hall(func(ctx context.Context, h *org.Hall) (any, error) { return org.Services(ctx, s.DB, h.ID) })},
		{"GET /api/v1/halls/{hall}/windows", authz.Public, false, hall(func(ctx context.Context, h *org.Hall) (any, error) { return s.Queue.Windows(ctx, h.ID) })},
		{"GET /api/v1/priority-classes", authz.Public, false, s.priorityClasses},
		{"POST /api/v1/halls/{hall}/tickets", authz.Public, false, s.issue},
		{"GET /api/v1/tickets/{token}", authz.Public, false, s.ticket},
		{"GET /api/v1/halls/{hall}/state", authz.Public, false, hall(func(ctx context.Context, h *org.Hall) (any, error) {
			// Screens poll this too: the hub's copy, when fresh, spares the queries.
			if b := s.Hub.Recent(h.ID, time.Second); b != nil {
				return json.RawMessage(b), nil
			}
			b, err := s.Screen.Load(ctx, h.ID)
			return json.RawMessage(b), err
		})},
		{"GET /api/v1/halls/{hall}/events", authz.Public, false, s.events},
	}
}

// counterRoutes: the counter terminal and the approval of pauses.
func (s *Server) counterRoutes() []route {
	return []route{
		{"GET /api/v1/windows/{window}", authz.WindowRead, false, s.window},
		{"POST /api/v1/windows/{window}/open", authz.WindowOperate, false, s.windowOpen},
		{"POST /api/v1/windows/{window}/close", authz.WindowOperate, false, s.windowClose},
		{"POST /api/v1/windows/{window}/call", authz.WindowOperate, false, s.windowCall},
		{"POST /api/v1/windows/{window}/recall", authz.WindowOperate, false, s.windowRecall},
		{"POST /api/v1/windows/{window}/skip", authz.WindowOperate, false, s.windowSkip},
		{"POST /api/v1/windows/{window}/start", authz.WindowOperate, false, s.windowStart},
		{"POST /api/v1/windows/{window}/finish", authz.WindowOperate, false, s.windowFinish},
		{"POST /api/v1/windows/{window}/transfer", authz.WindowOperate, false, s.windowTransfer},
		{"POST /api/v1/windows/{window}/pause", authz.WindowOperate, false, s.windowPause},
		{"POST /api/v1/windows/{window}/resume", authz.WindowOperate, false, s.windowResume},
		{"POST /api/v1/windows/{window}/reenter", authz.WindowOperate, false, s.windowReenter},
		{"POST /api/v1/windows/{window}/pause/approve", authz.PauseApprove, false, s.decidePause(true)},
		{"POST /api/v1/windows/{window}/pause/reject", authz.PauseApprove, false, s.decidePause(false)},
		{"GET /api/v1/audit", authz.AuditRead, false, s.auditLog},
		{"GET /api/v1/jobs", authz.JobsRead, false, s.jobStates},
	}
}

// speechRoutes: service language (服务用语).
func (s *Server) speechRoutes() []route {
	return []route{
		{"POST /api/v1/speech/check", authz.SpeechCheck, false, s.speechCheck},
		{"GET /api/v1/speech/phrases", authz.SpeechRulesRead, false, s.speechPhrases},
		{"GET /api/v1/speech/rules", authz.SpeechRulesRead, false, s.speechRules},
		{"PUT /api/v1/speech/rules", authz.SpeechRulesEdit, false, s.speechImport},
		{"GET /api/v1/speech/rules/export", authz.SpeechRulesEdit, false, s.speechExport},
		{"GET /api/v1/speech/rules/history", authz.SpeechRulesEdit, false, s.speechHistory},
		{"PUT /api/v1/speech/rules/{id}", authz.SpeechRulesEdit, false, s.speechPutRule},
		{"DELETE /api/v1/speech/rules/{id}", authz.SpeechRulesEdit, false, s.speechDeleteRule},
		{"GET /api/v1/speech/stats", authz.SpeechStats, false, s.speechStats},
		{"POST /api/v1/tickets/{id}/transcripts", authz.TranscriptWrite, false, s.attachTranscript},
		{"GET /api/v1/tickets/{id}/transcripts", authz.TranscriptRead, false, s.ticketTranscripts},
	}
}

// pageRoutes: the HTML pages; staff pages send strangers to the sign-in page.
func (s *Server) pageRoutes() []route {
	return []route{
		{"GET /{$}", authz.Public, true, s.homePage},
		{"GET /login", authz.Public, true, s.loginPage},
		{"GET /kiosk/{hall}", authz.Public, true, s.kioskPage},
		{"GET /display/{hall}", authz.Public, true, s.displayPage},
		{"GET /t/{token}", authz.Public, true, s.ticketPage},
		{"GET /t/{token}/qr.png", authz.Public, true, s.ticketQR},
		{"GET /counter", authz.WindowRead, true, s.counterListPage},
		{"GET /counter/{window}", authz.WindowRead, true, s.counterPage},
		{"GET /supervisor/{hall}", authz.HallMonitor, true, s.supervisorPage},
		{"GET /admin/speech", authz.SpeechLibrary, true, s.speechAdminPage},
	}
}

// register puts the route table on mux, each route behind its permission.
func (s *Server) register(mux *http.ServeMux) {
	for _, rt := range s.routes() {
		h := rt.Handler
		switch {
		case rt.Perm == authz.Public:
		case rt.Page:
			h = s.pageRequire(rt.Perm, h)
		default:
			h = s.require(rt.Perm, h)
		}
		mux.Handle(rt.Pattern, s.instrument(rt.Pattern, h))
	}
}
