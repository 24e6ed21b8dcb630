package web

import "github.com/qhall/qhall/internal/authz"

// ratingsRoutes: ratings (好差评), rectifications, complaints (投诉), call-back surveys, figures.
// The citizen's routes are public: a ticket's token, a pad's device token or a complaint's token
// is the authority, checked by internal/feedback.
func (s *Server) ratingsRoutes() []route {
	return []route{
		{"POST /api/v1/tickets/{token}/rating", authz.Public, false, s.rateTicket},
		{"GET /api/v1/tickets/{token}/rating", authz.Public, false, s.ticketRating},
		{"POST /api/v1/tickets/{token}/rating/followup", authz.Public, false, s.rateFollowup},
		{"POST /api/v1/windows/{window}/pad-code", authz.FeedbackManage, false, s.padCode},
		{"POST /api/v1/pads/pair", authz.Public, false, s.padPair},
		{"GET /api/v1/pads/prompt", authz.Public, false, s.padPrompt},
		{"GET /api/v1/halls/{hall}/rectifications", authz.FeedbackManage, false, s.withHall(s.rectifications)},
		{"GET /api/v1/rectifications/{id}", authz.FeedbackAppeal, false, s.rectification},
		{"POST /api/v1/rectifications/{id}/{action}", authz.FeedbackAppeal, false, s.rectificationAct},
		{"GET /api/v1/rectification-codes/{code}", authz.Public, false, s.rectificationByCode},
		{"POST /api/v1/halls/{hall}/complaints", authz.Public, false, s.withHall(s.takeComplaint)},
		{"GET /api/v1/complaints/{token}", authz.Public, false, s.complaintByToken},
		{"POST /api/v1/complaints/{token}/opinion", authz.Public, false, s.complaintOpinion},
		{"GET /api/v1/halls/{hall}/complaints", authz.FeedbackManage, false, s.withHall(s.complaints)},
		{"GET /api/v1/halls/{hall}/complaints/{id}", authz.FeedbackManage, false, s.withHall(s.complaint)},
		{"POST /api/v1/halls/{hall}/complaints/{id}/{action}", authz.FeedbackManage, false, s.withHall(s.complaintAct)},
		{"GET /api/v1/halls/{hall}/surveys", authz.FeedbackManage, false, s.withHall(s.surveys)},
		{"POST /api/v1/halls/{hall}/surveys/draw", authz.FeedbackManage, false, s.withHall(s.surveyDraw)},
		{"POST /api/v1/surveys/{id}", authz.FeedbackManage, false, s.surveyRecord},
		{"GET /api/v1/halls/{hall}/feedback-figures", authz.FeedbackFigures, false, s.withHall(s.feedbackFigures)},
		{"GET /api/v1/halls/{hall}/feedback-settings", authz.FeedbackManage, false, s.withHall(s.feedbackSettings)},
		{"PUT /api/v1/halls/{hall}/feedback-settings", authz.FeedbackManage, false, s.withHall(s.putFeedbackSettings)},

		{"GET /pad/{window}", authz.Public, true, s.padPage},
		{"GET /t/{token}/rate", authz.Public, true, s.ratePage},
		{"GET /complain/{hall}", authz.Public, true, s.complainPage},
		{"GET /c/{token}", authz.Public, true, s.complaintPage},
		{"GET /r/{code}", authz.Public, true, s.rectPage},
		{"GET /feedback/{hall}", authz.FeedbackManage, true, s.feedbackPage},
		{"GET /feedback/{hall}/figures", authz.FeedbackFigures, true, s.figuresPage},
	}
}
